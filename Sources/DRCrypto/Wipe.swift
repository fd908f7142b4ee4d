import CDROpenSSL

extension Array where Element == UInt8 {
  /// Overwrites the bytes with zeros in a way the compiler cannot drop (`OPENSSL_cleanse`),
  /// for key material that is done with.
  public mutating func wipe() {
    withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
  }
}
