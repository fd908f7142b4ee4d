import DRCrypto
import Testing

/// AES-256-GCM, HKDF and scrypt against their published vectors.
@Suite struct PrimitiveTests {
  static func bytes(_ hex: String) -> [UInt8] {
    stride(from: 0, to: hex.count, by: 2).map { offset in
      let start = hex.index(hex.startIndex, offsetBy: offset)
      return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
    }
  }

  // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, with AAD).
  static let gcmKey = bytes("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
  static let gcmPlaintext = bytes(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
  )
  static let gcmAAD = bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2")
  static let gcmNonce = bytes("cafebabefacedbaddecaf888")
  static let gcmSealed =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
    + "c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b"

  func seal(_ plaintext: [UInt8], aad: [UInt8] = gcmAAD) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: plaintext.count + 16)
    let key = try SymmetricKey(Self.gcmKey)
    plaintext.withUnsafeBytes { input in
      out.withUnsafeMutableBytes { AESGCM().seal(key: key, nonce: Self.gcmNonce, aad: aad, plaintext: input, into: $0) }
    }
    return out
  }

  func open(_ sealed: [UInt8], aad: [UInt8] = gcmAAD) throws -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: sealed.count - 16)
    let key = try SymmetricKey(Self.gcmKey)
    let ok = sealed.withUnsafeBytes { input in
      out.withUnsafeMutableBytes { AESGCM().open(key: key, nonce: Self.gcmNonce, aad: aad, sealed: input, into: $0) }
    }
    return ok ? out : nil
  }

  @Test func gcmSealsThePublishedVector() throws {
    #expect(try seal(Self.gcmPlaintext).hex == Self.gcmSealed)
  }

  @Test func gcmOpensThePublishedVectorAndRefusesAnyChange() throws {
    let sealed = Self.bytes(Self.gcmSealed)
    #expect(try open(sealed) == Self.gcmPlaintext)
    for position in [0, 30, sealed.count - 17, sealed.count - 1] {
      var tampered = sealed
      tampered[position] ^= 0x80
      #expect(try open(tampered) == nil, "a flipped bit at \(position) must not open")
    }
    #expect(try open(sealed, aad: Self.gcmAAD + [0]) == nil)
  }

  @Test func keysOfAnotherLengthAreRefused() {
    #expect(throws: CryptoError.self) { try SymmetricKey([UInt8](repeating: 1, count: 31)) }
    #expect(SymmetricKey.random() != SymmetricKey.random())
    #expect(!"\(SymmetricKey.random())".contains(SymmetricKey.random().hexText))
  }

  @Test func keyIDIsTheDocumentedDerivationAndNotTheKey() throws {
    let key = try SymmetricKey(Array(1...32))
    // Computed independently (Python's cryptography: HKDF-SHA256, no salt, info dr/key-id/v1, 16 bytes).
    #expect(key.id == "1d10beb581811f6c353c1117eb9f939e")
    #expect(!key.hexText.contains(key.id))
    #expect("\(key)" == "key 1d10beb581811f6c353c1117eb9f939e")
  }

  // RFC 5869, test cases 1 and 3.
  @Test func hkdfMatchesRFC5869() {
    let ikm = [UInt8](repeating: 0x0b, count: 22)
    let one = ikm.withUnsafeBytes {
      HKDF.sha256(key: $0, salt: Array(0...12), info: Array(0xf0...0xf9), length: 42)
    }
    #expect(one.hex == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    let three = ikm.withUnsafeBytes { HKDF.sha256(key: $0, salt: [], info: [], length: 42) }
    #expect(three.hex == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
  }

  // RFC 7914, section 12, the first two vectors.
  @Test func scryptMatchesRFC7914() throws {
    let empty = try Scrypt.derive(passphrase: [], salt: [], parameters: .init(n: 16, r: 1, p: 1), length: 64)
    #expect(
      empty.hex
        == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
    )
    let password = try Scrypt.derive(
      passphrase: Array("password".utf8), salt: Array("NaCl".utf8), parameters: .init(n: 1024, r: 8, p: 16), length: 64)
    #expect(
      password.hex
        == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
    )
  }

  @Test(arguments: [
    ScryptParameters(n: 1000, r: 8, p: 1), ScryptParameters(n: 1 << 21, r: 8, p: 1),
    ScryptParameters(n: 16, r: 0, p: 1),
    ScryptParameters(n: 1 << 20, r: 16, p: 1),
  ])
  func scryptRefusesCostsAManifestShouldNotAskFor(_ parameters: ScryptParameters) {
    #expect(throws: CryptoError.self) { try Scrypt.derive(passphrase: [1], salt: [2], parameters: parameters) }
  }
}
