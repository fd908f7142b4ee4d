import CDROpenSSL
import DRCore

/// scrypt's cost parameters (RFC 7914): `n` (CPU and memory, a power of two), `r` (block
/// size), `p` (parallelism). Memory used is about 128 × r × n bytes.
public struct ScryptParameters: Sendable, Hashable, Codable {
  public var n: UInt64
  public var r: UInt64
  public var p: UInt64

  public init(n: UInt64, r: UInt64, p: UInt64) {
    self.n = n
    self.r = r
    self.p = p
  }

  /// dr's choice for passphrases: n = 2^17, r = 8, p = 1 (128 MiB, about half a second),
  /// OWASP's recommendation for scrypt.
  public static let passphrase = ScryptParameters(n: 1 << 17, r: 8, p: 1)

  /// The most dr accepts from a manifest: a manifest written by someone else must not make
  /// a restore use gigabytes of memory or hours of CPU.
  public static let limit = (n: UInt64(1) << 20, r: UInt64(32), p: UInt64(16), memory: UInt64(1) << 30)

  public var memoryBytes: UInt64 { 128 * r * n }

  public func validate() throws(CryptoError) {
    guard n > 1, n & (n - 1) == 0, n <= Self.limit.n, (1...Self.limit.r).contains(r), (1...Self.limit.p).contains(p),
      memoryBytes <= Self.limit.memory
    else {
      throw CryptoError(
        .invalidArgument,
        "scrypt parameters n=\(n) r=\(r) p=\(p) are outside what dr accepts (n a power of two up to 2^20, "
          + "r up to 32, p up to 16, at most 1 GiB)")
    }
  }
}

public enum Scrypt {
  /// Derives `length` bytes from `passphrase` and `salt` with OpenSSL's `EVP_PBE_scrypt`.
  /// CPU- and memory-heavy by design: run it off the cooperative pool.
  public static func derive(
    passphrase: [UInt8], salt: [UInt8], parameters: ScryptParameters, length: Int = SymmetricKey.size
  ) throws(CryptoError) -> [UInt8] {
    try parameters.validate()
    var out = [UInt8](repeating: 0, count: length)
    let ok = passphrase.withUnsafeBytes { pass in
      salt.withUnsafeBytes { salt in
        EVP_PBE_scrypt(
          pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count,
          salt.baseAddress?.assumingMemoryBound(to: UInt8.self), salt.count, parameters.n, parameters.r, parameters.p,
          parameters.memoryBytes + (1 << 20), &out, length)
      }
    }
    guard ok == 1 else {
      throw CryptoError(.keyDerivation, "scrypt (n=\(parameters.n) r=\(parameters.r) p=\(parameters.p)) failed")
    }
    return out
  }
}
