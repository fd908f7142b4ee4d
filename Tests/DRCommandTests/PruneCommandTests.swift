import DRBackup
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `dr prune` against real backups in the real RGW.
struct PruneCommandTests {
  @Test func keepsTheNewestAndDeletesTheRest() async throws {
    let fixture = try await BackupFixture.make("prune")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 2}\n")
    var made: [String] = []
    for _ in 0..<4 {
      made.append(try await fixture.backup())
      try await Task.sleep(for: .milliseconds(1_100))  // IDs have second precision
    }
    #expect(try await fixture.listedIDs() == made.reversed())

    let dry = try await fixture.run(["prune", "--dry-run"])
    #expect(dry.status == 0, "\(dry.combined)")
    #expect(dry.standardOutput.contains("would delete \(made[0])"))
    #expect(dry.standardOutput.contains("would delete \(made[1])"))
    #expect(try await fixture.listedIDs().count == 4)

    let pruned = try await fixture.run(["prune", "--json"])
    #expect(pruned.status == 0, "\(pruned.combined)")
    #expect(try await fixture.listedIDs() == [made[3], made[2]])
    let keys = try await fixture.bucketContents().keys
    #expect(!keys.contains { $0.contains(made[0]) || $0.contains(made[1]) })
    await fixture.remove()
  }

  @Test func removesIncompleteBackupsAndStaleUploadsButNeverTheLatestGood() async throws {
    let fixture = try await BackupFixture.make("debris")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 1}\n")
    let good = try await fixture.run(["backup"])
    #expect(good.status == 0, "\(good.combined)")
    // Debris: a backup without a manifest from two days ago, and an upload left open.
    let root = fixture.layout.backupsPrefix
    try await fixture.client.putObject(
      bucket: fixture.bucket, key: root + "20200101T000000Z-dead/dump.pgc.bz2", body: [1, 2, 3])
    let upload = try await fixture.client.createMultipartUpload(
      bucket: fixture.bucket, key: root + "20200101T000000Z-beef/dump.pgc.bz2")
    // Not dr's: ignored by the catalogue, left alone by prune.
    try await fixture.client.putObject(bucket: fixture.bucket, key: root + "../escape", body: [0])
    #expect(try await fixture.listedIDs(all: true).count == 2)

    try await Task.sleep(for: .milliseconds(1_200))
    let pruned = try await fixture.run(["prune", "--incomplete-grace", "1s"])
    #expect(pruned.status == 0, "\(pruned.combined)")
    #expect(pruned.standardOutput.contains("delete 20200101T000000Z-dead"), "\(pruned.standardOutput)")
    #expect(pruned.standardOutput.contains("abort stale upload"), "\(pruned.standardOutput)")
    let remaining = try await fixture.listedIDs(all: true)
    #expect(remaining.count == 1)
    let contents = try await fixture.bucketContents()
    #expect(contents.uploads == 0)
    #expect(contents.keys.contains(root + "../escape"))
    #expect(!contents.keys.contains { $0.contains("20200101T000000Z") })
    _ = upload
    await fixture.remove()
  }
}
