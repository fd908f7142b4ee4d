import DRCore
import DRFailover
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A failover run again never drops a database that holds data (issue 15): a rerun
/// resumes with the backup it restored, another backup is refused over the app's writes,
/// a database dr cannot tell is refused, and an interrupted restore (which leaves the
/// database empty) is restored into.
@Suite(.scenarioGate)
struct FailoverRerunTests {
  /// Rows the app wrote into the failover's database: ids past the backup's 2,000 orders.
  static let written = 50

  /// The failover cluster's copy of the database, as `postgres` or as the app's role,
  /// with the passwords dr generated.
  static func connect(_ stack: FailoverCommandTests.Stack, asApp: Bool = false, database: String? = nil)
    async throws -> PGConnection
  {
    let password = try StackPasswordFiles.read(
      asApp ? StackPasswordFiles.app : StackPasswordFiles.superuser, in: stack.environmentDirectory)
    let user = asApp ? "dr_user" : "postgres"
    let name = database ?? stack.fixture.database
    return try await PGConnection.connect(
      "postgresql://\(user)@127.0.0.1:\(stack.ports["postgresql"]!)/\(name)", password: password)
  }

  /// The app's writes: `written` orders, through its own role, as the app would.
  static func write(_ stack: FailoverCommandTests.Stack) async throws {
    let app = try await connect(stack, asApp: true)
    _ = try await app.query(
      "INSERT INTO sales.orders SELECT n, 'written by the app' FROM generate_series(100001, \(100_000 + written)) n")
  }

  /// The app's rows still in the failover's database (-1 when it cannot be read).
  static func writtenRows(_ stack: FailoverCommandTests.Stack) async -> Int {
    guard let connection = try? await connect(stack),
      let rows = try? await connection.query("SELECT count(*) FROM sales.orders WHERE id > 100000")
    else { return -1 }
    return Int(rows.first?.first.flatMap { $0 } ?? "") ?? -1
  }

  /// Injected: backup A restored and written to by the app, then a newer backup B
  /// verified (the latest good), then reruns: plain, with `--backup B`, and after
  /// `dr down --purge`. Asserted: the plain rerun resumes with A (exit 0, says so, and
  /// the plan names B as newer), `--backup B` stops at the restore naming A and the way
  /// out (exit 1); the app's rows survive both; a drill meanwhile restores B in its own
  /// directory; after the purge, B is restored.
  @Test func aRerunResumesItsBackupAndNeverRestoresAnotherOverTheAppsWrites() async throws {
    let stack = try await FailoverCommandTests().stack("rerun")
    let first = try await stack.run(["restore", "--env", "failover", "--yes", "--json"])
    #expect(first.status == 0, "\(first.combined)")
    let a = try BackupFixture.backupID(of: first)
    try await Self.write(stack)
    let b = try await stack.fixture.backup()
    let verify = try await stack.fixture.run(["verify", "--backup", b])
    #expect(verify.status == 0, "\(verify.combined)")

    let plan = try await stack.run(["plan", "--env", "failover"])
    #expect(plan.standardOutput.contains("Resuming the failover of backup \(a), restored at"), "\(plan.combined)")
    #expect(plan.standardOutput.contains("a newer backup \(b) exists"), "\(plan.standardOutput)")
    let json = try await stack.run(["plan", "--env", "failover", "--json"])
    let backup = try json.jsonObject()["backup"] as? [String: Any]
    #expect(backup?["id"] as? String == a, "\(json.combined)")
    #expect((backup?["resumed"] as? [String: Any])?["newer_backup"] as? String == b, "\(json.standardOutput)")

    let rerun = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(rerun.status == 0, "\(rerun.combined)")
    #expect(rerun.standardOutput.contains("Resuming the failover of backup \(a)"), "\(rerun.standardOutput)")
    #expect(rerun.standardOutput.contains("\(a) already restored"), "\(rerun.standardOutput)")
    #expect(await Self.writtenRows(stack) == Self.written)

    let named = try await stack.run(["restore", "--env", "failover", "--yes", "--backup", b])
    #expect(named.status == 1, "\(named.combined)")
    #expect(named.standardError.contains("stopped at restore"), "\(named.standardError)")
    #expect(named.standardError.contains("already holds backup \(a) (restored by dr)"), "\(named.standardError)")
    #expect(named.standardError.contains("dr restore --env failover --backup \(a)"), "\(named.standardError)")
    #expect(named.standardError.contains("dr down --env failover --purge"), "\(named.standardError)")
    var tally = FaultTally("failover rerun over the app's writes: plain (resumes), then --backup of a newer one")
    tally.faults = 2
    tally.destroyed = Self.written - (await Self.writtenRows(stack))
    #expect(tally.destroyed == 0)
    await FaultLedger.record(tally)

    // A drill works in a fresh state directory of its own: it takes the latest good, B.
    let drill = try await stack.run(["drill", "--env", "failover", "--json"])
    #expect(drill.status == 0, "\(drill.combined)")
    #expect(try BackupFixture.backupID(of: drill) == b, "\(drill.standardOutput)")
    #expect(await Self.writtenRows(stack) == Self.written)

    #expect(try await stack.run(["down", "--env", "failover", "--purge"]).status == 0)
    let fresh = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(fresh.status == 0, "\(fresh.combined)")
    #expect(fresh.standardOutput.contains("\(b) restored into"), "\(fresh.standardOutput)")
    #expect(!fresh.standardOutput.contains("Resuming"), "\(fresh.standardOutput)")
    #expect(await Self.writtenRows(stack) == 0, "B was made before the failover's writes")
    _ = try await stack.run(["down", "--env", "failover", "--purge"])
    await stack.fixture.remove()
  }

  /// Injected: the failover's database keeps the app's rows but loses what tells dr it
  /// is its restore (state.json deleted, the marker dropped), then the database refuses
  /// connections (the probe cannot read it). Asserted: each rerun stops at the restore
  /// (exit 1) saying what is there, or that it cannot tell; the rows survive both.
  @Test func aDatabaseDrCannotTellIsNeverDropped() async throws {
    let stack = try await FailoverCommandTests().stack("rerunforeign")
    let first = try await stack.run(["restore", "--env", "failover", "--yes", "--json"])
    #expect(first.status == 0, "\(first.combined)")
    let a = try BackupFixture.backupID(of: first)
    try await Self.write(stack)
    let database = SQL.identifier(stack.fixture.database)
    let admin = try await Self.connect(stack)
    let marker = try await admin.query(
      "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        + "WHERE datname = current_database()")
    #expect(marker.first?.first == DatabaseContents.marker(a), "dr marks its restore")
    _ = try await admin.query("COMMENT ON DATABASE \(database) IS NULL")
    #expect(try await stack.run(["down", "--env", "failover"]).status == 0)
    try FileManager.default.removeItem(atPath: "\(stack.environmentDirectory)/state.json")

    let unmarked = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(unmarked.status == 1, "\(unmarked.combined)")
    #expect(!unmarked.standardOutput.contains("Resuming"), "\(unmarked.standardOutput)")
    #expect(
      unmarked.standardError.contains("already holds"), "\(unmarked.standardError)")
    #expect(unmarked.standardError.contains("objects, not backup \(a)"), "\(unmarked.standardError)")
    #expect(unmarked.standardError.contains("dr down --env failover --purge"), "\(unmarked.standardError)")
    #expect(await Self.writtenRows(stack) == Self.written)

    // The rerun left the cluster running; the database now refuses every connection.
    let maintenance = try await Self.connect(stack, database: "postgres")
    _ = try await maintenance.query("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
    let unreadable = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(unreadable.status == 1, "\(unreadable.combined)")
    #expect(
      unreadable.standardError.contains("cannot tell what database \(stack.fixture.database) holds"),
      "\(unreadable.standardError)")
    _ = try await maintenance.query("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
    var tally = FaultTally("failover rerun over a database without dr's marker or state, then an unreadable one")
    tally.faults = 2
    tally.destroyed = Self.written - (await Self.writtenRows(stack))
    #expect(tally.destroyed == 0)
    await FaultLedger.record(tally)
    _ = try await stack.run(["down", "--env", "failover", "--purge"])
    await stack.fixture.remove()
  }

}
