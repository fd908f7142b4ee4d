import DRCore
import DRCrypto
import Testing

/// `aes-256-gcm-segmented-v1`: round trips, an independent known answer, and every way a
/// stored object can be tampered with, each refused with a message that says what happened.
@Suite struct SegmentFormatTests {
  static let size = 4096
  static let master = try! SymmetricKey(Array(1...32))
  static let salt: [UInt8] = (0..<32).map { UInt8((0xa0 + $0) % 256) }

  static func cipher(
    key: SymmetricKey = master, salt: [UInt8] = salt, backup: String = "20261124T221900Z-7f3a",
    object: String = "dump.pgc.bz2.enc"
  ) -> SegmentCipher {
    try! SegmentCipher(masterKey: key, salt: salt, backupID: backup, objectName: object, segmentSize: size)
  }

  static func plaintext(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(($0 * 31 + 7) % 251) } }

  /// Three full segments and a short one.
  static let sealed = cipher().sealObject(plaintext(3 * size + 100))

  static func segment(_ bytes: [UInt8], _ number: Int) -> ArraySlice<UInt8> {
    let unit = size + 16
    return bytes[(number - 1) * unit..<min(number * unit, bytes.count)]
  }

  func failure(_ stored: [UInt8], _ cipher: SegmentCipher = cipher()) -> CryptoError? {
    #expect(throws: CryptoError.self) { try cipher.openObject(stored) }
  }

  @Test func matchesAnIndependentImplementationOfTheDocumentedFormat() {
    // From an independent implementation of the documented format (Python's cryptography package).
    let stored = Self.cipher().sealObject(Self.plaintext(5000))
    #expect(stored.count == 5032)
    #expect(Digest.sha256(stored).hex == "c877c5ad2c0ed7c834ac42cb9162b47acf22b48aac8fffbac41bb0d4eff16376")
  }

  @Test(arguments: [0, 1, size - 1, size, size + 1, 3 * size, 3 * size + 5])
  func roundTripsAndSizesAsDocumented(_ count: Int) throws {
    let plaintext = Self.plaintext(count)
    let stored = Self.cipher().sealObject(plaintext)
    #expect(Int64(stored.count) == Self.cipher().storedSize(plaintextSize: Int64(count)))
    #expect(try Self.cipher().openObject(stored) == plaintext)
  }

  @Test func batchesSealAndOpenLikeTheWholeObject() throws {
    let plaintext = Self.plaintext(5 * Self.size + 9)
    let cipher = Self.cipher()
    let head = plaintext[..<(2 * Self.size)].withUnsafeBytes { cipher.seal($0, firstIndex: 0, final: false) }
    let tail = plaintext[(2 * Self.size)...].withUnsafeBytes { cipher.seal($0, firstIndex: 2, final: true) }
    #expect(head + tail == cipher.sealObject(plaintext))
    let opened = try (head + tail)[..<(2 * (Self.size + 16))].withUnsafeBytes {
      try cipher.open($0, firstIndex: 0, final: false)
    }
    #expect(opened == Array(plaintext[..<(2 * Self.size)]))
  }

  @Test(arguments: [(1, 0), (2, 100), (3, 4095), (3, 4100), (4, 0), (4, 115)])
  func aFlippedByteInAnySegmentIsRefused(_ number: Int, _ offset: Int) {
    var stored = Self.sealed
    stored[(number - 1) * (Self.size + 16) + offset] ^= 0x01
    let error = failure(stored)
    #expect(error?.code == .authentication)
    #expect(error?.message.contains("segment \(number) ") == true, "\(String(describing: error))")
    #expect(error?.message.contains("altered") == true, "\(String(describing: error))")
  }

  @Test func aDroppedSegmentIsNamed() {
    let stored = Array(Self.segment(Self.sealed, 1) + Self.segment(Self.sealed, 3) + Self.segment(Self.sealed, 4))
    let error = failure(stored)
    #expect(error?.message.contains("segment 2 ") == true, "\(String(describing: error))")
    #expect(error?.message.contains("written as segment 3: segments were dropped or reordered") == true)
  }

  @Test func reorderedSegmentsAreNamed() {
    let stored = Array(
      Self.segment(Self.sealed, 2) + Self.segment(Self.sealed, 1) + Self.segment(Self.sealed, 3)
        + Self.segment(Self.sealed, 4))
    let error = failure(stored)
    #expect(error?.message.contains("segment 1 ") == true, "\(String(describing: error))")
    #expect(error?.message.contains("written as segment 2") == true, "\(String(describing: error))")
  }

  @Test(arguments: [1, 2, 3])
  func anObjectCutAtASegmentBoundaryIsTruncated(_ kept: Int) {
    let error = failure(Array(Self.sealed.prefix(kept * (Self.size + 16))))
    #expect(error?.code == .truncated)
    #expect(
      error?.message.contains("ends after segment \(kept) ") == true && error?.message.contains("truncated") == true,
      "\(String(describing: error))")
  }

  @Test(arguments: [1, 15, 16, 17, 3000, Self.size + 15])
  func anObjectCutBetweenBoundariesIsRefused(_ into: Int) {
    let error = failure(Array(Self.sealed.prefix(2 * (Self.size + 16) + into)))
    #expect(error?.message.contains("segment 3") == true, "\(String(describing: error))")
    #expect(error?.message.contains("truncated") == true, "\(String(describing: error))")
  }

  @Test func anEmptyObjectIsRefused() {
    #expect(failure([])?.message.contains("empty") == true)
  }

  @Test func dataAfterTheFinalSegmentIsRefused() {
    // The final segment is a full one here, so what follows starts a segment of its own.
    let appended =
      Self.cipher().sealObject(Self.plaintext(2 * Self.size)) + Self.cipher().sealObject(Self.plaintext(10))
    let error = failure(appended)
    #expect(error?.message.contains("segment 2 ") == true, "\(String(describing: error))")
    #expect(error?.message.contains("marked as the last segment written, but more data follows") == true)
  }

  @Test(arguments: [
    ("another backup", "20261125T000000Z-0000", "dump.pgc.bz2.enc"),
    ("another object", "20261124T221900Z-7f3a", "globals.sql.bz2.enc"),
  ])
  func aSegmentFromAnotherBackupOrObjectIsRefused(_ label: String, _ backup: String, _ object: String) {
    let other = Self.cipher(backup: backup, object: object).sealObject(Self.plaintext(3 * Self.size + 100))
    #expect(other != Self.sealed, "\(label): another context must give other bytes")
    let stored = Array(
      Self.segment(Self.sealed, 1) + Self.segment(other, 2) + Self.sealed.dropFirst(2 * (Self.size + 16)))
    let error = failure(stored)
    #expect(error?.message.contains("segment 2 ") == true, "\(label): \(String(describing: error))")
    #expect(error?.message.contains("another object or backup") == true, "\(label): \(String(describing: error))")
    #expect(failure(other) != nil, "\(label): a whole object of another context must not open")
  }

  @Test func anObjectWithAnotherSaltOrKeyDoesNotOpen() {
    let otherSalt = Self.cipher(salt: [UInt8](repeating: 7, count: 32))
    #expect(failure(Self.sealed, otherSalt)?.message.contains("segment 1 ") == true)
    let otherKey = Self.cipher(key: SymmetricKey.random())
    #expect(failure(Self.sealed, otherKey)?.code == .authentication)
  }

  @Test func sealingTwiceGivesTheSameBytesOnlyUnderTheSameSalt() {
    // Deterministic per (key, salt): which is why every object gets a fresh random salt.
    #expect(Self.cipher().sealObject([1, 2, 3]) == Self.cipher().sealObject([1, 2, 3]))
    #expect(Self.cipher(salt: SecureRandom.bytes(32)).sealObject([1, 2, 3]) != Self.cipher().sealObject([1, 2, 3]))
  }
}
