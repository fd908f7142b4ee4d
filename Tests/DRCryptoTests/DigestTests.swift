import DRCrypto
import Testing

@Suite struct DigestTests {
  @Test func sha256OfEmptyInput() {
    #expect(Digest.sha256([UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test func sha256StreamingMatchesOneShot() {
    let data = Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    let hasher = SHA256Hasher()
    for start in stride(from: 0, to: data.count, by: 7_777) {
      hasher.update(Array(data[start..<min(start + 7_777, data.count)]))
    }
    #expect(hasher.finalize() == Digest.sha256(data))
  }

  @Test func sha256OfABC() {
    #expect(Digest.sha256("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func md5OfABC() {
    #expect(Digest.md5(Array("abc".utf8)).hex == "900150983cd24fb0d6963f7d28e17f72")
  }

  // RFC 4231, test case 2.
  @Test func hmacSHA256RFC4231() {
    let mac = HMAC.sha256(key: Array("Jefe".utf8), message: "what do ya want for nothing?")
    #expect(mac.hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }
}
