import FoundationEssentials

/// HKDF with HMAC-SHA256 (RFC 5869): extract a pseudorandom key from `key` and `salt`,
/// then expand it with `info` into `length` bytes. dr derives one key per object from the
/// backup's key this way, and key IDs, each under a label of its own.
public enum HKDF {
  public static func sha256(key: UnsafeRawBufferPointer, salt: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
    precondition((1...255 * 32).contains(length), "HKDF-SHA256 gives 1...8160 bytes")
    // RFC 5869 2.2: an absent salt is a string of HashLen zeros.
    let prk = HMAC.sha256(key: salt.isEmpty ? [UInt8](repeating: 0, count: 32) : salt, message: key)
    var output: [UInt8] = []
    var block: [UInt8] = []
    var counter: UInt8 = 1
    while output.count < length {
      block = HMAC.sha256(key: prk, message: block + info + [counter])
      output += block
      counter &+= 1
    }
    return Array(output.prefix(length))
  }
}
