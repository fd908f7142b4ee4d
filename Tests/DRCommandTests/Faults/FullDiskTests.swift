import DRBackup
import DRCore
import DRTestSupport
import Foundation
import Testing

/// A full disk where dr restores: the failure names the disk and the file, removes what
/// it wrote, and never blames the backup (no failed verification record for a good backup).
@Suite(.scenarioGate)
struct FullDiskTests {
  func backedUp(_ label: String, fillerRows: Int) async throws -> (BackupFixture, String) {
    let fixture = try await BackupFixture.make(label, fillerRows: fillerRows)
    return (fixture, try await fixture.backup())
  }

  @Test func restoreThroughAFullTemporaryDirectoryFailsAndLeavesNothing() async throws {
    let (fixture, id) = try await backedUp("fullrestore", fillerRows: 120_000)  // a ~13 MB dump
    let target = TestDatabases.uniqueName("full_target", length: 6)
    try await SmallFilesystem.with(megabytes: 4) { disk in
      let restore = try await fixture.run(
        [
          "restore", "--target", try TestServices.superuserURL(database: target), "--backup", id, "--jobs", "2",
          "--no-owner",
        ], ["TMPDIR": disk])
      #expect(restore.status == 1, "\(restore.combined)")
      #expect(restore.standardError.contains("No space left on device"), "\(restore.standardError)")
      #expect(restore.standardError.contains("temporary dump file \(disk)/dr-restore-"), "\(restore.standardError)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: disk).isEmpty, "the partial file is removed")
    }
    let left = try await TestDatabases.exists(target)
    #expect(!left, "the database made for the restore is dropped")
    var tally = FaultTally("full disk under dr restore's temporary file")
    tally.faults = 1
    tally.scratchLeftovers = left ? 1 : 0
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func verifyOnAFullDiskIsNotTheBackupsFault() async throws {
    let (fixture, _) = try await backedUp("fullverify", fillerRows: 300_000)  // a ~30 MB table
    var tally = FaultTally("full disk under verify's scratch cluster (initdb, then restore)")
    try await SmallFilesystem.with(megabytes: 8) { disk in
      // Too small for initdb: the scratch cluster cannot be made.
      let early = try await fixture.run(["verify"], ["TMPDIR": disk])
      #expect(early.status == 1, "\(early.combined)")
      #expect(early.standardOutput.contains("INCONCLUSIVE scratch"), "\(early.standardOutput)")
      #expect(early.standardOutput.contains("initdb failed"), "\(early.standardOutput)")
      #expect(early.standardOutput.contains("No space left on device"), "\(early.standardOutput)")
      tally.scratchLeftovers += await EndState(fixture, temporary: disk).scratchLeftovers()
      // Room for initdb, not for the table: the restore runs out of space.
      try await SmallFilesystem.resize(disk, megabytes: 64)
      let late = try await fixture.run(["verify"], ["TMPDIR": disk])
      #expect(late.status == 1, "\(late.combined)")
      #expect(late.standardOutput.contains("INCONCLUSIVE resources"), "\(late.standardOutput)")
      #expect(late.standardOutput.contains("ran out of resources"), "\(late.standardOutput)")
      #expect(!late.standardOutput.contains("FAILED"), "\(late.standardOutput)")
      tally.scratchLeftovers += await EndState(fixture, temporary: disk).scratchLeftovers()
      tally.faults = 2
    }
    // Both runs are recorded as what they were, inconclusive; neither blames the backup.
    let records = try await fixture.keys(under: fixture.layout.verificationsPrefix)
    #expect(records.count == 2, "\(records)")
    for record in records {
      let body = try await fixture.object(record)
      let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
      #expect(object?["outcome"] as? String == "inconclusive", "\(String(describing: object))")
    }
    let listed = try await EndState(fixture).entries()
    #expect(listed.first?["verification"] as? String == "none")
    #expect(listed.first?["last_attempt"] as? String == "inconclusive")
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }
}
