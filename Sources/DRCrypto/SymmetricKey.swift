import CDROpenSSL
import DRCore

/// A 256-bit key. The bytes live in memory this value owns and wipes (`OPENSSL_cleanse`)
/// when the last copy goes, and they never print: `description` is a mask.
public struct SymmetricKey: Sendable, Equatable, CustomStringConvertible {
  public static let size = 32

  private let storage: KeyStorage

  /// Throws `invalidArgument` unless `bytes` holds exactly 32 bytes.
  public init(_ bytes: [UInt8]) throws(CryptoError) {
    guard bytes.count == Self.size else {
      throw CryptoError(.invalidArgument, "a key must be \(Self.size) bytes, got \(bytes.count)")
    }
    storage = KeyStorage(bytes)
  }

  /// A new random key.
  public static func random() -> SymmetricKey {
    var bytes = SecureRandom.bytes(size)
    defer { bytes.wipe() }
    return try! SymmetricKey(bytes)
  }

  /// Calls `body` with the key's bytes; they must not escape it.
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(storage.bytes))
  }

  /// The key as 64 lowercase hex digits, for key files and the redactor. Handle with care.
  public var hexText: String { withUnsafeBytes { $0.hex } }

  /// What identifies this key in manifests: the first 16 bytes of HKDF-SHA256 over the key
  /// with its own label, so it names the key without revealing it or any other key
  /// derived from it (see docs/architecture.md, "Client-side encryption").
  public var id: String {
    withUnsafeBytes { HKDF.sha256(key: $0, salt: [], info: Array("dr/key-id/v1".utf8), length: 16) }.hex
  }

  public var description: String { "key \(id)" }

  public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool {
    lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, size) == 0 } }
  }
}

/// The one owner of a key's bytes: allocated once, wiped and freed in `deinit`.
/// Immutable after `init`, so sharing it between threads is safe.
final class KeyStorage: @unchecked Sendable {
  let bytes: UnsafeMutableRawBufferPointer

  init(_ source: [UInt8]) {
    bytes = .allocate(byteCount: source.count, alignment: 16)
    source.withUnsafeBytes { bytes.copyMemory(from: $0) }
  }

  deinit {
    OPENSSL_cleanse(bytes.baseAddress, bytes.count)
    bytes.deallocate()
  }
}
