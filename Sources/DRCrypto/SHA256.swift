import CDROpenSSL
import FoundationEssentials

/// A SHA-256 digest computed incrementally through OpenSSL's EVP interface.
///
/// The `EVP_MD_CTX` is owned by this class and freed in `deinit`. Not thread-safe: one
/// hasher belongs to one stream. `@unchecked Sendable` so it can move to a hashing thread;
/// its owner makes sure only one thread uses it at a time.
public final class SHA256Hasher: @unchecked Sendable {
  private let context: OpaquePointer

  public init() {
    guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
    self.context = context
    precondition(EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1, "EVP_DigestInit_ex(sha256) failed")
  }

  deinit { EVP_MD_CTX_free(context) }

  public func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    precondition(EVP_DigestUpdate(context, base, bytes.count) == 1, "EVP_DigestUpdate failed")
  }

  public func update<Bytes: ContiguousBytes>(_ bytes: Bytes) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Finishes the digest; the hasher must not be updated afterwards.
  public func finalize() -> [UInt8] {
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    precondition(EVP_DigestFinal_ex(context, &out, &length) == 1, "EVP_DigestFinal_ex failed")
    return Array(out.prefix(Int(length)))
  }
}

public enum Digest {
  /// SHA-256 of `bytes`, in one call.
  public static func sha256<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
    oneShot(bytes, EVP_sha256())
  }

  /// MD5 of `bytes`, for S3's `Content-MD5` header only (an integrity check, not security).
  public static func md5<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
    oneShot(bytes, EVP_md5())
  }

  public static func sha256(_ string: String) -> [UInt8] { sha256(Array(string.utf8)) }

  private static func oneShot<Bytes: ContiguousBytes>(_ bytes: Bytes, _ md: OpaquePointer?) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let ok = bytes.withUnsafeBytes { buffer in
      EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, md, nil)
    }
    precondition(ok == 1, "EVP_Digest failed")
    return Array(out.prefix(Int(length)))
  }
}
