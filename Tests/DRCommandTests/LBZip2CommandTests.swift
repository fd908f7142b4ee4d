import DRCore
import DRTestSupport
import Foundation
import Testing

/// `backup.compression.encoder` end to end against the real PostgreSQL and RGW: the real
/// lbzip2 writes a backup that verifies and that stock `bunzip2` reads; a failing lbzip2
/// fails the backup (exit 1, nothing listed, no process left); SIGTERM while lbzip2 runs
/// stops dr and lbzip2 with it.
@Suite(.scenarioGate)
struct LBZip2CommandTests {
  /// 100 000 filler rows (about 10 MB of dump): three 4.5 MB chunks.
  static func fixture(_ label: String, encoder: String) async throws -> BackupFixture {
    let fixture = try await BackupFixture.make(
      label, fillerRows: 100_000, compression: "{codec: bzip2, level: 9, threads: 2, encoder: \(encoder)}")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: BackupFixture.ordersCheck)
    return fixture
  }

  /// PATH with the fake's directory first, so `encoder: auto` finds it.
  static func path(with fake: FakeLBZip2) -> [String: String] {
    ["PATH": "\(fake.directory):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"]
  }

  @Test func anLbzip2BackupVerifiesAndStockBunzip2ReadsIt() async throws {
    let fixture = try await Self.fixture("lbzround", encoder: "lbzip2")
    let check = try await fixture.run(["check", "--json"])
    let checks = try check.jsonObject()["checks"] as? [[String: String]] ?? []
    let compression = checks.first { $0["name"] == "compression" }
    #expect(compression?["status"] == "ok", "\(checks)")
    #expect(compression?["detail"]?.hasPrefix("bzip2 level 9 with lbzip2 (/") == true, "\(checks)")
    let backup = try await fixture.run(["backup", "--json"])
    #expect(backup.status == 0, "\(backup.combined)")
    #expect(backup.standardError.contains("compression bzip2 level 9 with lbzip2 ("), "\(backup.standardError)")
    let id = try BackupFixture.backupID(of: backup)
    let dump = try await fixture.object(try fixture.dumpKey(id))
    let file = "\(fixture.directory)/dump.bz2"
    try Data(dump).write(to: URL(fileURLWithPath: file))
    let plain = try await ProcessRunner.run(
      "/bin/sh", ["-c", "bunzip2 -t \"$1\" && bunzip2 -c \"$1\" | head -c 5", "sh", file])
    #expect(plain.standardOutput == "PGDMP", "\(plain.standardError)")
    let verified = try await fixture.run(["verify", "--json", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    #expect(try verified.jsonObject()["outcome"] as? String == "passed")
    await fixture.remove()
  }

  @Test func aFailingLbzip2FailsTheBackupAndNothingIsListed() async throws {
    let fixture = try await Self.fixture("lbzfail", encoder: "auto")
    let fake = try FakeLBZip2(.fails)
    defer { fake.remove() }
    let backup = try await fixture.run(["backup"], Self.path(with: fake))
    #expect(backup.status == 1, "\(backup.combined)")
    #expect(backup.standardError.contains("lbzip2 -9 -n1 -c (\(fake.program))"), "\(backup.standardError)")
    #expect(backup.standardError.contains("exit status 1: starting / \(FakeLBZip2.complaint)"))
    #expect(!fake.pids.isEmpty)
    #expect(fake.pids.allSatisfy { !FakeLBZip2.isRunning($0) }, "\(fake.pids)")
    let state = EndState(fixture)
    #expect(try await state.entries(all: true).isEmpty, "dr removed what it wrote")
    var tally = FaultTally("lbzip2 exits 1 during a backup")
    tally.faults = 1
    // The next backup (in EndState) runs with the real lbzip2 on PATH, and succeeds.
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func sigtermWhileLbzip2RunsStopsItWithDr() async throws {
    let fixture = try await Self.fixture("lbzterm", encoder: "lbzip2")
    let fake = try FakeLBZip2(.sleeps)
    defer { fake.remove() }
    let dr = try ChildProcess(
      DRBinary.path, ["backup", "--policy", fixture.policyFile],
      environment: try fixture.environment(Self.path(with: fake)))
    #expect(await eventually(limit: .seconds(300), every: .milliseconds(20)) { fake.pids.count >= 2 })
    kill(dr.pid, SIGTERM)
    #expect(await dr.wait() == .exited(143), "\(dr.standardError)")
    let pids = fake.pids
    #expect(
      await eventually(limit: .seconds(120), every: .milliseconds(20)) {
        pids.allSatisfy { !FakeLBZip2.isRunning($0) }
      },
      "\(pids)")
    let state = EndState(fixture)
    #expect(try await state.entries(all: true).isEmpty, "dr removed what it wrote")
    var tally = FaultTally("SIGTERM while lbzip2 encodes a chunk")
    tally.faults = 1
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func lbzip2RequiredButMissingFailsBeforeAnythingIsUploaded() async throws {
    let fixture = try await Self.fixture("lbzmissing", encoder: "lbzip2")
    let empty = TemporaryDirectory.unique("dr-no-lbzip2")
    defer { try? FileManager.default.removeItem(atPath: empty) }
    let check = try await fixture.run(["check"], ["PATH": empty])
    #expect(check.status == 1, "\(check.combined)")
    #expect(check.standardOutput.contains("install Debian's lbzip2 package"), "\(check.standardOutput)")
    let backup = try await fixture.run(["backup"], ["PATH": empty])
    #expect(backup.status == 1, "\(backup.combined)")
    #expect(backup.standardError.contains("backup.compression.encoder is lbzip2"), "\(backup.standardError)")
    #expect(try await fixture.bucketContents().keys.isEmpty, "uploaded before refusing")
    #expect(try await fixture.bucketContents().uploads == 0)
    await fixture.remove()
  }
}
