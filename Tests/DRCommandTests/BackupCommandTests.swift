import DRCore
import DRCrypto
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `dr backup` and `dr list` end to end against the real PostgreSQL and RGW.
struct BackupCommandTests {
  @Test func aBackupRestoresWithStockToolsWithIdenticalRowCounts() async throws {
    let fixture = try await BackupFixture.make("restore")
    let backup = try await fixture.run(["backup", "--json"])
    #expect(backup.status == 0, "\(backup.combined)")
    let id = try #require(try backup.jsonObject()["id"] as? String)
    #expect(try backup.jsonObject()["outcome"] as? String == "complete")

    let entries = try await fixture.list()
    #expect(entries.map { $0["id"] as? String } == [id])
    #expect(entries.first?["complete"] as? Bool == true)
    #expect(entries.first?["verification"] as? String == "none")

    // The manifest's checksums match the stored objects.
    let manifestBytes = try await fixture.object(try fixture.manifestKey(id))
    let manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestBytes)) as? [String: Any])
    let objects = try #require(manifest["objects"] as? [[String: Any]])
    #expect(Set(objects.compactMap { $0["role"] as? String }) == ["dump", "globals"])
    for object in objects {
      let key = try #require(object["key"] as? String)
      let bytes = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
      #expect(Digest.sha256(bytes).hex == object["sha256"] as? String, "\(key)")
      #expect(Int64(bytes.count) == (object["size"] as? NSNumber)?.int64Value)
    }

    // aws s3 cp … - | bunzip2 | pg_restore -d, into a fresh database.
    let (target, targetURL) = try await TestDatabases.create("restored")
    let pipeline =
      "aws s3 cp 's3://\(fixture.bucket)/\(try fixture.dumpKey(id))' - | bunzip2 | pg_restore --no-owner -d '\(targetURL)'"
    let restored = try await ProcessRunner.run("/bin/bash", ["-o", "pipefail", "-c", pipeline])
    #expect(restored.status == 0, "\(restored.standardError)")

    let counts = try #require((manifest["row_counts"] as? [String: Any])?["tables"] as? [[String: Any]])
    #expect(counts.count == 6)
    let check = try await PGConnection.connect(targetURL)
    for table in counts {
      let schema = try #require(table["schema"] as? String)
      let name = try #require(table["table"] as? String)
      let only = (table["partitioned"] as? Bool) == true ? "" : "ONLY"
      let rows = try await check.query("SELECT count(*) FROM \(only) \"\(schema)\".\"\(name)\"")
      #expect(
        Int64(rows.first?.first.flatMap { $0 } ?? "") == (table["rows"] as? NSNumber)?.int64Value, "\(schema).\(name)")
    }
    #expect(counts.first { $0["table"] as? String == "orders" }?["rows"] as? Int == 2000)
    await TestDatabases.drop(target)
    await fixture.remove()
  }

  /// `DR_PG_BINDIR` is searched first, but a pg_dump older than the server there (13.2) is
  /// passed over for the closest one not older (Debian's 15), which the manifest records. A
  /// server newer than every pg_dump is refused before anything is uploaded:
  /// `VersionMatrixTests`.
  @Test func aPgDumpOlderThanTheServerOnTheSearchPathIsPassedOverForOneThatFits() async throws {
    let fixture = try await BackupFixture.make("oldtool")
    let fake = try FakePGDump.directory(version: "13.2")
    defer { try? FileManager.default.removeItem(atPath: fake) }
    let result = try await fixture.run(["backup", "--json", "--verbose"], ["DR_PG_BINDIR": fake])
    #expect(result.status == 0, "\(result.combined)")
    #expect(result.standardError.contains("also found: 13.2 at \(fake)"), "\(result.standardError)")
    let id = try #require(try result.jsonObject()["id"] as? String)
    let manifest = try JSONSerialization.jsonObject(with: Data(try await fixture.object(try fixture.manifestKey(id))))
    let pgDump = (manifest as? [String: Any])?["pg_dump"] as? [String: Any] ?? [:]
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    #expect(pgDump["path"] as? String == "\(bindir)/pg_dump", "\(pgDump)")
    #expect(pgDump["major_version"] as? Int == 15, "\(pgDump)")
    await fixture.remove()
  }

  @Test func nothingIsListedWhenTheBucketIsMissing() async throws {
    let fixture = try await BackupFixture.make("nobucket")
    try await fixture.client.deleteBucket(fixture.bucket)
    let result = try await fixture.run(["backup", "--json"])
    #expect(result.status == 1)
    #expect(try result.jsonObject()["outcome"] as? String == "failed")
    #expect(result.standardError.contains("NoSuchBucket"))
    await fixture.remove()
  }
}
