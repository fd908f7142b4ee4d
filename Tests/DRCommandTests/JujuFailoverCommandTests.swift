import DRCore
import DRFailover
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `driver: juju` from the command line: the plan shows the juju commands, `dr restore
/// --env` runs them through a recording juju stand-in (juju cannot be installed here) with
/// the real backup from the real RGW, read with the spare keys, and `dr down --purge`
/// destroys the model.
struct JujuFailoverCommandTests {
  static let model = "dr-backup-test-failover"

  func prepared(_ label: String) async throws -> BackupFixture {
    let fixture = try await BackupFixture.make(label)
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(),
      extra: """
        stack:
          postgresql: {port: 5432}
          memcached: {port: 11211}
          summit-app: {command: "/srv/app/run", port: 8000, health: /health, needs: [postgresql, memcached]}
          haproxy: {port: 80, backends: [summit-app]}
        environments:
          failover:
            driver: juju
            credentials: {access_key_id: "${DR_TEST_SPARE_ACCESS_KEY_ID}", secret_access_key: "${DR_TEST_SPARE_SECRET_ACCESS_KEY}"}

        """)
    #expect(try await fixture.run(["backup"]).status == 0)
    try await fixture.allowSpareUser()
    return fixture
  }

  /// The row counts the PostgreSQL unit would print: the plan's own query, run on the
  /// backed-up database, one `schema|table|rows` line each.
  func counts(_ fixture: BackupFixture) async throws -> String {
    let connection = try await PGConnection.connect(try fixture.userURL(withPassword: true))
    let rows = try await connection.query(JujuCommands.rowCountQuery)
    return rows.map { $0.map { $0 ?? "" }.joined(separator: "|") }.joined(separator: "\n")
  }

  func run(_ fixture: BackupFixture, _ standIn: JujuStandIn, _ arguments: [String]) async throws -> DRBinary.Result {
    let path = "\(standIn.directory)/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    return try await fixture.run(arguments, ["PATH": path, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
  }

  @Test func aJujuFailoverRunsThePlannedCommandsWithTheRealDump() async throws {
    let fixture = try await prepared("juju")
    let standIn = try JujuStandIn(counts: try await counts(fixture), probe: .absent)
    defer { standIn.remove() }

    let plan = try await run(fixture, standIn, ["plan", "--env", "failover"])
    #expect(plan.status == 0, "\(plan.combined)")
    #expect(plan.standardOutput.contains("juju add-model \(Self.model)"), "\(plan.standardOutput)")
    #expect(
      plan.standardOutput.contains("juju deploy -m \(Self.model) postgresql --channel 16/stable"),
      "a dump of 15 goes on the charm's 16 track")
    #expect(plan.standardOutput.contains("juju relate -m \(Self.model) haproxy summit-app"))
    #expect(
      plan.standardOutput.contains(
        "juju ssh -m \(Self.model) postgresql/leader -- sudo -u postgres psql -X -At -d \(fixture.database) -c "),
      "the probe is among the restore's commands: \(plan.standardOutput)")
    #expect(plan.standardOutput.contains("dr-probe"), "\(plan.standardOutput)")
    #expect(!plan.standardOutput.contains("dropdb"), "\(plan.standardOutput)")
    #expect(try standIn.calls().isEmpty, "dr plan runs nothing")

    let failover = try await run(fixture, standIn, ["restore", "--env", "failover", "--yes"])
    #expect(failover.status == 0, "\(failover.combined)")
    #expect(failover.standardOutput.contains("row counts match the manifest"), "\(failover.standardOutput)")
    let calls = try standIn.calls()
    #expect(calls.first == ["add-model", Self.model])
    #expect(
      calls.filter { $0.first == "deploy" }.map { $0[3] } == ["postgresql", "memcached", "summit-app", "haproxy"])
    #expect(calls.last?.first == "ssh" && calls.last?.contains("http://localhost:80/health") == true)
    // What was copied to the unit is the backup's dump, checked and decompressed.
    let uploaded = try Data(contentsOf: URL(fileURLWithPath: standIn.uploaded))
    #expect(uploaded.prefix(5) == Data("PGDMP".utf8))
    let scp = try #require(calls.first { $0.first == "scp" })
    #expect(!FileManager.default.fileExists(atPath: scp[3]), "the local copy of the dump is removed")

    let down = try await run(fixture, standIn, ["down", "--env", "failover"])
    #expect(down.standardOutput.contains("left running"), "\(down.combined)")
    #expect(try standIn.calls().count == calls.count, "dr down without --purge runs nothing")
    let purge = try await run(fixture, standIn, ["down", "--env", "failover", "--purge"])
    #expect(purge.status == 0, "\(purge.combined)")
    #expect(try standIn.calls().last == ["destroy-model", Self.model, "--no-prompt", "--destroy-storage"])
    await fixture.remove()
  }

  /// Injected: the PostgreSQL unit's database already holds the backup (dr's marker),
  /// holds 9 objects of something else, or cannot be probed. Asserted: the first is
  /// "already restored" (exit 0, no dump copied, the rest of the stack deployed); the others
  /// stop at the restore (exit 1) saying what is there and the way out; no command drops,
  /// creates or restores the database.
  @Test func aRerunProbesTheDatabaseAndNeverDropsOne() async throws {
    let fixture = try await prepared("jujurerun")
    let id = try #require(try await fixture.listedIDs().first)
    let answers: [(JujuStandIn.Probe, Int32, [String])] = [
      (.marked(backup: id, objects: 12), 0, ["\(id) already restored in \(fixture.database)"]),
      (
        .holding(objects: 9, comment: ""), 1,
        ["already holds 9 objects, not backup \(id)", "dr down --env failover --purge destroys \(Self.model)"]
      ),
      (.failing("ERROR connection to unit postgresql/0 lost"), 1, ["cannot tell what database", "connection to unit"]),
    ]
    var tally = FaultTally("juju failover rerun: the database already restored, holding other data, unprobeable")
    for (probe, status, says) in answers {
      let standIn = try JujuStandIn(counts: try await counts(fixture), probe: probe)
      defer { standIn.remove() }
      let failover = try await run(fixture, standIn, ["restore", "--env", "failover", "--yes"])
      #expect(failover.status == status, "\(failover.combined)")
      for text in says { #expect(failover.combined.contains(text), "\(failover.combined)") }
      let calls = try standIn.calls()
      let touching = calls.filter { call in
        call.contains { $0 == "dropdb" || $0 == "createdb" || $0 == "pg_restore" } || call.first == "scp"
      }
      #expect(touching.isEmpty, "\(touching)")
      #expect(calls.contains { $0.first == "deploy" && $0[3] == "summit-app" } == (status == 0))
      tally.faults += 1
      // What a drop would have destroyed: here, every command that drops a database counts.
      tally.destroyed += calls.filter { $0.contains("dropdb") || $0.contains { $0.contains("DROP DATABASE") } }.count
    }
    #expect(tally.destroyed == 0)
    await FaultLedger.record(tally)
    await fixture.remove()
  }

  @Test func aFailingJujuCommandStopsTheFailoverSayingWhich() async throws {
    let fixture = try await prepared("jujufail")
    let standIn = try JujuStandIn(
      failing: [(prefix: "deploy -m \(Self.model) memcached", message: "ERROR cannot add application: quota exceeded")],
      counts: try await counts(fixture))
    defer { standIn.remove() }
    let failover = try await run(fixture, standIn, ["restore", "--env", "failover", "--yes"])
    #expect(failover.status == 1)
    #expect(failover.standardError.contains("stopped at memcached"), "\(failover.standardError)")
    #expect(failover.standardError.contains("quota exceeded"), "\(failover.standardError)")
    #expect(try standIn.calls().contains { $0.first == "deploy" && $0[3] == "summit-app" } == false)
    await fixture.remove()
  }
}
