import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// The restore path without dr: `scripts/dr-decrypt` (Python's cryptography, written from
/// the documented format) decrypts what dr stored, and bunzip2 and pg_restore read it.
struct EncryptionInteropTests {
  static let script = "\(FailoverCommandTests.repository)/scripts/dr-decrypt"

  /// `dr-decrypt < stored | bunzip2 | pg_restore -f -` (the dump as SQL), in a shell with
  /// pipefail: every stage must read its input to the end.
  func stockRestoreScript(_ directory: String, keyFile: String) async throws -> ProcessRunner.Output {
    let pgRestore = "\(try TestServices.require("DR_TEST_PG_BINDIR"))/pg_restore"
    return try await ProcessRunner.run(
      "/bin/bash",
      [
        "-o", "pipefail", "-c",
        "python3 \(Self.script) --manifest \(directory)/manifest.json --key-file \(keyFile) < \(directory)/dump "
          + "| bunzip2 | \(pgRestore) -f -",
      ])
  }

  @Test func storedObjectsDecryptWithStockTools() async throws {
    let encrypted = try await EncryptionFixture.make("encinterop")
    let (id, _) = try await encrypted.backup(EncryptionFixture.smallSegments)
    let directory = TemporaryDirectory.unique("dr-interop")
    let client = encrypted.fixture.client
    let bucket = encrypted.fixture.bucket
    var dump = try await client.getObjectBytes(
      bucket: bucket, key: try encrypted.fixture.dumpKey(id, fileExtension: "bz2.enc"))
    try Data(try await client.getObjectBytes(bucket: bucket, key: try encrypted.fixture.manifestKey(id)))
      .write(to: URL(fileURLWithPath: "\(directory)/manifest.json"))
    try Data(dump).write(to: URL(fileURLWithPath: "\(directory)/dump"))

    let script = try await stockRestoreScript(directory, keyFile: encrypted.keyFile)
    #expect(script.status == 0, "\(script.standardError)")
    #expect(script.standardOutput.contains("COPY sales.orders (id, note) FROM stdin;"))
    #expect(script.standardOutput.contains("2000\torder 2000\n"), "the last rows must be there too")

    dump[dump.count / 2] ^= 0x01
    try Data(dump).write(to: URL(fileURLWithPath: "\(directory)/dump"))
    let tampered = try await stockRestoreScript(directory, keyFile: encrypted.keyFile)
    #expect(tampered.status != 0)
    #expect(tampered.standardError.contains("fails authentication"), "\(tampered.standardError)")

    let other = "\(directory)/other.key"
    _ = try await EncryptionFixture.generate(other)
    let wrong = try await stockRestoreScript(directory, keyFile: other)
    #expect(wrong.standardError.contains("was encrypted with key ID \(encrypted.keyID)"), "\(wrong.standardError)")
    try? FileManager.default.removeItem(atPath: directory)
    await encrypted.fixture.remove()
  }
}
