import DRCore
import DRFailover
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A failover whose restore is interrupted midway (issue 15): the dump goes in one
/// transaction, so the database is left empty, and the rerun restores into it.
@Suite(.scenarioGate, .serialized)
struct FailoverInterruptedRestoreTests {
  /// A backup with filler rows (so the dump crawls through the proxy long enough), a
  /// stack of PostgreSQL alone, the failover environment reading through `endpoint`.
  struct Setup {
    let fixture: BackupFixture
    let port: Int
    let state: String

    var directory: String {
      BackupFixture.failoverDirectory(state: state)
    }

    func writePolicy(endpoint: String) throws {
      try fixture.writePolicy(
        endpoint: endpoint,
        extra: """
          stack:
            postgresql: {port: \(port)}
          environments:
            failover:
              credentials: {access_key_id: "${DR_TEST_SPARE_ACCESS_KEY_ID}", secret_access_key: "${DR_TEST_SPARE_SECRET_ACCESS_KEY}"}

          """)
    }

    /// dr's environment with the spare keys alone (a nil value removes a variable).
    var overrides: [String: String?] {
      get throws { try BackupFixture.spareKeysOnly(["DR_STATE_DIR": state, "DR_S3_RETRY_SECONDS": "3"]) }
    }

    var environment: [String: String] {
      get throws {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in try overrides { environment[name] = value }
        return environment
      }
    }

    func run(_ arguments: [String]) async throws -> DRBinary.Result {
      try await DRBinary.run(arguments + ["--policy", fixture.policyFile], environment: try overrides)
    }

    /// What the failover's database holds, by the probe dr itself runs.
    func contents() async throws -> DatabaseContents? {
      let password = try StackPasswordFiles.read(StackPasswordFiles.superuser, in: directory)
      let connection = try await PGConnection.connect(
        "postgresql://postgres@127.0.0.1:\(port)/\(fixture.database)", password: password)
      let rows = try await connection.query(DatabaseContents.probeQuery)
      return rows.count == 1 ? DatabaseContents(fields: rows[0]) : nil
    }
  }

  static func setUp(_ label: String) async throws -> Setup {
    let fixture = try await BackupFixture.make(label, fillerRows: 30_000)
    let setup = Setup(fixture: fixture, port: try LoopbackPort.free(), state: TemporaryDirectory.unique("dr-rerun"))
    try setup.writePolicy(endpoint: try TestServices.s3Endpoint())
    let backup = try await fixture.run(["backup"])
    #expect(backup.status == 0, "\(backup.combined)")
    try await fixture.allowSpareUser()
    return setup
  }

  /// Injected: SIGTERM or SIGKILL to `dr restore --env` while pg_restore is loading the
  /// dump (downloaded at 5 kB/s through a fault proxy). Asserted: the database the failed
  /// run created holds no user object and no marker; the rerun at full speed restores
  /// into it (exit 0), its counts match, and dr's marker names the backup.
  @Test(arguments: [SIGTERM, SIGKILL])
  func anInterruptedRestoreLeavesAnEmptyDatabaseThatTheRerunRestoresInto(signal: Int32) async throws {
    let setup = try await Self.setUp(signal == SIGTERM ? "rerunterm" : "rerunkill")
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 5_000
    try setup.writePolicy(endpoint: proxy.endpoint)
    let dr = try ChildProcess(
      DRBinary.path, ["restore", "--env", "failover", "--yes", "--policy", setup.fixture.policyFile],
      environment: try setup.environment)
    let restoring = await ProcessTree.waitForChild(
      of: dr.pid, named: "pg_restore", with: "--single-transaction", limit: .seconds(180))
    try #require(restoring != nil, "pg_restore never started: \(dr.standardError)")
    try await Task.sleep(for: .seconds(1))
    kill(dr.pid, signal)
    let status = await dr.wait()
    #expect(status == (signal == SIGTERM ? .exited(143) : .signaled(SIGKILL)), "\(dr.standardError)")
    // pg_restore reads the end of its input and its transaction is rolled back.
    #expect(await eventually { !ProcessTree.isRunning(restoring ?? 0) }, "pg_restore is still running")
    #expect(try await setup.contents() == .present(objects: 0, comment: nil))

    proxy.bandwidthLimit = nil
    let rerun = try await setup.run(["restore", "--env", "failover", "--yes"])
    #expect(rerun.status == 0, "\(rerun.combined)")
    #expect(
      rerun.standardOutput.contains("restored into \(setup.fixture.database) (it was empty)"), "\(rerun.combined)")
    let contents = try await setup.contents()
    #expect(contents?.markedBackup != nil, "\(String(describing: contents))")
    var tally = FaultTally("\(signal == SIGTERM ? "SIGTERM" : "SIGKILL") during a failover's restore, then a rerun")
    tally.faults = 1
    await FaultLedger.record(tally)
    _ = try await setup.run(["down", "--env", "failover", "--purge"])
    await setup.fixture.remove()
    try? FileManager.default.removeItem(atPath: setup.state)
  }
}
