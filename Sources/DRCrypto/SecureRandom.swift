import CDROpenSSL

/// Random bytes from OpenSSL's CSPRNG (`RAND_bytes`), for keys, salts and nonce material.
public enum SecureRandom {
  /// `count` random bytes. A CSPRNG that cannot produce them is a broken system, not an
  /// error to handle: dr must never go on with predictable keys.
  public static func bytes(_ count: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    guard count > 0 else { return out }
    precondition(RAND_bytes(&out, Int32(count)) == 1, "RAND_bytes failed: no secure randomness")
    return out
  }
}
