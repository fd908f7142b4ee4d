import DRS3
import DRTestSupport
import Foundation
import Testing

/// A stored encrypted dump changed in the bucket, its manifest rewritten to match (size and
/// SHA-256, as anyone who can write the bucket could): `dr verify` fails it (exit 3) saying
/// what happened, and `dr restore` leaves the target without the data.
struct EncryptionTamperTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let label: String
    let transform: @Sendable ([UInt8]) -> [UInt8]
    let message: String
    var testDescription: String { label }
  }

  static let unit = EncryptionFixture.storedSegment

  static func segment(_ bytes: [UInt8], _ number: Int) -> ArraySlice<UInt8> {
    bytes[(number - 1) * unit..<min(number * unit, bytes.count)]
  }

  static let cases: [Case] = [
    Case(
      label: "flipped byte",
      transform: { bytes in
        var bytes = bytes
        bytes[3 * unit + 100] ^= 0x01
        return bytes
      },
      message: "segment 4 (stored at byte \(3 * unit)) fails authentication: its bytes were altered"),
    Case(
      label: "dropped segment", transform: { Array(segment($0, 1) + segment($0, 2) + $0.dropFirst(3 * unit)) },
      message: "segment 3 (stored at byte \(2 * unit)) holds what was written as segment 4: segments were dropped"),
    Case(
      label: "reordered segments",
      transform: { Array(segment($0, 1) + segment($0, 3) + segment($0, 2) + $0.dropFirst(3 * unit)) },
      message:
        "segment 2 (stored at byte \(unit)) holds what was written as segment 3: segments were dropped or reordered"
    ),
    Case(
      label: "truncated at a segment boundary", transform: { Array($0.prefix(5 * unit)) },
      message: "the object ends after segment 5 (stored at byte \(4 * unit)), which is not the last segment written: "
        + "it was truncated"),
    Case(
      label: "truncated inside a segment", transform: { Array($0.prefix(5 * unit + 1000)) },
      message: "segment 6 (stored at byte \(5 * unit)) fails authentication: the object was truncated inside it"),
  ]

  /// One case at a time: each makes a database, a backup, a scratch cluster and a restore,
  /// and five at once would crowd the shared services while the other suites run.
  @Test(.serialized, arguments: cases)
  func aTamperedObjectFailsVerificationAndRestore(_ testCase: Case) async throws {
    let encrypted = try await EncryptionFixture.make("tamper", codec: "none")
    let (id, _) = try await encrypted.backup(EncryptionFixture.smallSegments)
    let stored = try await encrypted.fixture.client.getObjectBytes(
      bucket: encrypted.fixture.bucket, key: try encrypted.fixture.dumpKey(id, fileExtension: "enc"))
    try #require(stored.count > 8 * Self.unit, "the dump must span many segments: \(stored.count) bytes")
    try await encrypted.tamper(id, "dump.pgc.enc", testCase.transform)

    let temporary = TemporaryDirectory.unique("dr-tamper-tmp")
    let verified = try await encrypted.fixture.run(["verify", "--backup", id], ["TMPDIR": temporary])
    #expect(verified.status == 3, "\(testCase.label): \(verified.combined)")
    #expect(
      verified.standardOutput.contains(
        "FAILED encryption \(id): \(try encrypted.fixture.dumpKey(id, fileExtension: "enc")) cannot be decrypted: \(testCase.message)"
      ),
      "\(testCase.label): \(verified.standardOutput)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "scratch left in \(temporary)")

    let target = TestDatabases.uniqueName("tamper", length: 6)
    let restore = try await encrypted.fixture.run(
      ["restore", "--target", try TestServices.superuserURL(database: target), "--backup", id, "--no-owner"])
    #expect(restore.status == 1, "\(testCase.label): \(restore.combined)")
    #expect(restore.standardError.contains(testCase.message), "\(testCase.label): \(restore.standardError)")
    // The database the failed restore made is dropped again: nothing half-restored stays.
    #expect(!(try await TestDatabases.exists(target)), "\(testCase.label): \(target) was left behind")
    await encrypted.fixture.remove()
  }
}
