import DRCore
import DRCrypto
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `compression: {codec: zstd}` end to end against the real PostgreSQL and RGW: the backup
/// stores `.zst` objects of several frames, `dr verify` passes, `dr restore --target`
/// restores it, and the stock pipeline (`aws s3 cp - | zstd -d | pg_restore`) reads it.
struct ZstdCommandTests {
  /// 100 000 filler rows (about 10 MB of dump): the dump spans three 4 MiB frames.
  static func fixture(_ label: String) async throws -> BackupFixture {
    let fixture = try await BackupFixture.make(
      label, fillerRows: 100_000, compression: "{codec: zstd, level: 3, threads: 2}")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: BackupFixture.ordersCheck)
    return fixture
  }

  static func rows(_ url: String, _ table: String) async throws -> String? {
    try await TestDatabases.value(url, "SELECT count(*) FROM \(table)")
  }

  @Test func aZstdBackupVerifiesRestoresAndReadsWithStockTools() async throws {
    let fixture = try await Self.fixture("zstdround")
    let backup = try await fixture.run(["backup", "--json"])
    #expect(backup.status == 0, "\(backup.combined)")
    let id = try #require(try backup.jsonObject()["id"] as? String)

    // The manifest (format 2: an older dr sees a newer dr's backup) names .zst objects
    // whose checksums match, with one stream length per frame.
    let manifestBytes = try await fixture.object(try fixture.manifestKey(id))
    let manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestBytes)) as? [String: Any])
    #expect(manifest["format_version"] as? Int == 2)
    let objects = try #require(manifest["objects"] as? [[String: Any]])
    let keys = Set(objects.compactMap { $0["key"] as? String })
    #expect(keys == [try fixture.dumpKey(id, fileExtension: "zst"), try fixture.globalsKey(id, fileExtension: "zst")])
    for object in objects {
      let compression = try #require(object["compression"] as? [String: Any])
      #expect(compression["codec"] as? String == "zstd")
      #expect(compression["level"] as? Int == 3)
      let key = try #require(object["key"] as? String)
      let bytes = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
      #expect(Digest.sha256(bytes).hex == object["sha256"] as? String, "\(key)")
      #expect(Array(bytes.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD], "\(key)")
    }
    let dump = try #require(objects.first { $0["role"] as? String == "dump" }?["compression"] as? [String: Any])
    #expect(dump["chunk_size"] as? Int == 4 << 20)
    #expect((dump["stream_lengths"] as? [Any])?.count ?? 0 >= 3, "\(dump)")

    let verified = try await fixture.run(["verify", "--json", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    #expect(try verified.jsonObject()["outcome"] as? String == "passed")
    #expect(try await fixture.list().first?["verification"] as? String == "passed")

    let target = TestDatabases.uniqueName("zstd_target", length: 6)
    let targetURL = try TestServices.superuserURL(database: target)
    let restore = try await fixture.run(["restore", "--target", targetURL, "--backup", id, "--no-owner"])
    #expect(restore.status == 0, "\(restore.combined)")
    #expect(try await Self.rows(targetURL, "sales.orders") == "2000")
    #expect(try await Self.rows(targetURL, "public.filler") == "100000")

    // The README's stock pipeline, with zstd -d in place of bunzip2.
    let (stock, stockURL) = try await TestDatabases.create("zstd_stock")
    let pipeline =
      "aws s3 cp 's3://\(fixture.bucket)/\(try fixture.dumpKey(id, fileExtension: "zst"))' - | zstd -d "
      + "| pg_restore --no-owner -d '\(stockURL)'"
    let restored = try await ProcessRunner.run("/bin/bash", ["-o", "pipefail", "-c", pipeline])
    #expect(restored.status == 0, "\(restored.standardError)")
    #expect(try await Self.rows(stockURL, "sales.orders") == "2000")
    #expect(try await Self.rows(stockURL, "public.filler") == "100000")
    let globals = try await ProcessRunner.run(
      "/bin/bash",
      [
        "-o", "pipefail", "-c",
        "aws s3 cp 's3://\(fixture.bucket)/\(try fixture.globalsKey(id, fileExtension: "zst"))' - | zstd -d",
      ])
    #expect(globals.status == 0, "\(globals.standardError)")
    #expect(globals.standardOutput.contains("CREATE ROLE"), "\(globals.standardOutput.prefix(500))")

    await TestDatabases.drop(target)
    await TestDatabases.drop(stock)
    await fixture.remove()
  }

  /// Encrypted, a zstd backup is `.zst.enc`: dr verifies it, and without dr
  /// `dr-decrypt | zstd -d | pg_restore` reads it.
  @Test func anEncryptedZstdBackupVerifiesAndDecryptsWithStockTools() async throws {
    let encrypted = try await EncryptionFixture.make("zstdenc", codec: "zstd")
    let (id, _) = try await encrypted.backup(EncryptionFixture.smallSegments)
    let fixture = encrypted.fixture
    let verified = try await fixture.run(["verify", "--json", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    let directory = TemporaryDirectory.unique("dr-zstd-enc")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let dump = try await fixture.client.getObjectBytes(
      bucket: fixture.bucket, key: try fixture.dumpKey(id, fileExtension: "zst.enc"))
    try Data(dump).write(to: URL(fileURLWithPath: "\(directory)/dump"))
    try Data(try await fixture.object(try fixture.manifestKey(id)))
      .write(to: URL(fileURLWithPath: "\(directory)/manifest.json"))
    let pgRestore = "\(try TestServices.require("DR_TEST_PG_BINDIR"))/pg_restore"
    let script =
      "python3 \(EncryptionInteropTests.script) --manifest \(directory)/manifest.json "
      + "--key-file \(encrypted.keyFile) < \(directory)/dump | zstd -d | \(pgRestore) -f -"
    let restored = try await ProcessRunner.run("/bin/bash", ["-o", "pipefail", "-c", script])
    #expect(restored.status == 0, "\(restored.standardError)")
    #expect(restored.standardOutput.contains("COPY sales.orders (id, note) FROM stdin;"))
    #expect(restored.standardOutput.contains("2000\torder 2000\n"), "the last rows must be there too")
    await fixture.remove()
  }

  /// A frame flipped in the bucket fails the verification (the backup's fault, exit 3),
  /// and `dr restore` stops without touching the target.
  @Test func aDamagedZstdObjectFailsItsVerification() async throws {
    let fixture = try await Self.fixture("zstdbad")
    let id = try await fixture.backup()
    let key = try fixture.dumpKey(id, fileExtension: "zst")
    var bytes = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
    bytes[bytes.count / 2] ^= 0x40
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: bytes)
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(verified.combined.contains("FAILED"), "\(verified.combined)")
    #expect(try await fixture.list().first?["verification"] as? String == "failed")
    await fixture.remove()
  }
}
