import DRCore
import DRFailover
import DRTestSupport
import Foundation
import Testing

/// The juju restore's probe and `RestoreRule` (issue 15), against the stand-in answering
/// each way a PostgreSQL unit can: the restore runs only into an absent or empty database,
/// is skipped for one that holds this backup, and stops, with nothing fetched or dropped,
/// for anything else and for every answer dr cannot read.
struct JujuRestoreRuleTests {
  static let backup = "20261124T221900Z-7f3a"
  static let other = "20261101T000000Z-00a1"

  struct Outcome {
    var detail: String?
    var error: FailoverError?
    var calls: [[String]]
    var fetched: Bool

    /// The calls after the probe, by what they run on the unit (or juju's subcommand).
    var commands: [String] {
      calls.dropFirst().map { call in
        guard let dash = call.firstIndex(of: "--") else { return call[0] }
        let remote = call[(dash + 1)...]
        return remote.contains("psql") ? (remote.last ?? "").prefix(20).description : remote.joined(separator: " ")
      }
    }
  }

  static func restore(_ probe: JujuStandIn.Probe) async throws -> Outcome {
    let standIn = try JujuStandIn(probe: probe)
    defer { standIn.remove() }
    let fetched = Flag()
    let driver = try JujuDriverTests.driver(standIn) { path in
      fetched.set()
      try Data(JujuDriverTests.dumpBytes).write(to: URL(fileURLWithPath: path))
    }
    var outcome = Outcome(calls: [], fetched: false)
    do {
      outcome.detail = try await driver.execute(try JujuRestoreTests.restoreStep())
    } catch let error as FailoverError {
      outcome.error = error
    }
    outcome.calls = try standIn.calls()
    outcome.fetched = fetched.isSet
    #expect(outcome.calls.first?.contains("psql") == true, "the probe runs first: \(outcome.calls)")
    #expect(!outcome.calls.contains { $0.contains("dropdb") }, "nothing drops the database")
    return outcome
  }

  @Test func anAbsentDatabaseIsCreatedRestoredInOneTransactionAndMarked() async throws {
    let outcome = try await Self.restore(.absent)
    #expect(outcome.error == nil, "\(String(describing: outcome.error))")
    #expect(outcome.detail == "restored summit in model dr-summit-failover: 2 tables, row counts match the manifest")
    #expect(outcome.fetched)
    #expect(
      outcome.commands == [
        "sudo rm -f /tmp/dr-restore.pgc", "scp", "sudo chown postgres /tmp/dr-restore.pgc",
        "sudo -u postgres createdb summit",
        "sudo -u postgres pg_restore --no-owner --no-acl --exit-on-error --single-transaction -d summit "
          + "/tmp/dr-restore.pgc",
        #""SELECT n.nspname, c"#, #""COMMENT ON DATABASE"#, "sudo rm -f /tmp/dr-restore.pgc",
      ])
    let marker = try #require(outcome.calls.first { $0.last?.contains("COMMENT ON DATABASE") == true })
    #expect(marker.last == #""COMMENT ON DATABASE \"summit\" IS 'dr failover restore of \#(Self.backup)'""#)
  }

  /// What an interrupted restore leaves: the database, with nothing in it.
  @Test func anEmptyDatabaseIsRestoredIntoAsItIs() async throws {
    let outcome = try await Self.restore(.empty)
    #expect(outcome.error == nil, "\(String(describing: outcome.error))")
    #expect(outcome.fetched)
    #expect(!outcome.commands.contains { $0.contains("createdb") }, "\(outcome.commands)")
    #expect(outcome.commands.contains { $0.contains("pg_restore") && $0.contains("--single-transaction") })
    #expect(outcome.commands.contains(#""COMMENT ON DATABASE"#))
  }

  @Test func aDatabaseMarkedWithThisBackupIsAlreadyRestored() async throws {
    let outcome = try await Self.restore(.marked(backup: Self.backup, objects: 40))
    #expect(outcome.error == nil, "\(String(describing: outcome.error))")
    #expect(
      outcome.detail == "\(Self.backup) already restored in summit, model dr-summit-failover "
        + "(it holds backup \(Self.backup) (restored by dr), 40 objects)")
    #expect(outcome.calls.count == 1, "only the probe ran: \(outcome.calls)")
    #expect(!outcome.fetched)
  }

  /// Answers that mean "it holds something else", with what the failure must say.
  static let refusals: [(String, JujuStandIn.Probe, [String])] = [
    (
      "marked with another backup", .marked(backup: other, objects: 12),
      [
        "database summit already holds backup \(other) (restored by dr), 12 objects, not backup \(backup)",
        "To resume the failover of \(other): dr restore --env failover --backup \(other).",
        "dr down --env failover --purge destroys dr-summit-failover", "empty database summit by hand",
      ]
    ),
    (
      "objects without a marker", .holding(objects: 7, comment: ""),
      ["database summit already holds 7 objects, not backup \(backup)", "never drops a database that holds data"]
    ),
    (
      "a comment that only looks like a marker", .holding(objects: 3, comment: "dr failover restore of yesterday"),
      ["already holds 3 objects, not backup", "To restore \(backup) instead: destroy the model"]
    ),
  ]

  static let uncertainties: [(String, JujuStandIn.Probe, [String])] = [
    (
      "juju ssh failing", .failing("ERROR unit postgresql/0 is not reachable"),
      ["cannot tell what database summit holds", "exit status 1: ERROR unit postgresql/0 is not reachable"]
    ),
    (
      "another database missing", .failing(#"FATAL:  database "summit_old" does not exist"#),
      ["cannot tell what database summit holds"]
    ),
    ("an answer without the probe's line", .answering("Welcome to Ubuntu"), ["answered what dr cannot read"]),
    ("a count that is not a number", .answering("dr-probe|many|"), ["answered what dr cannot read"]),
    ("two probe lines", .answering("dr-probe|0|\ndr-probe|5|"), ["answered what dr cannot read"]),
  ]

  @Test(arguments: refusals + uncertainties)
  func anythingElseStopsTheStepWithNothingFetchedOrDropped(_ name: String, _ probe: JujuStandIn.Probe, _ says: [String])
    async throws
  {
    let outcome = try await Self.restore(probe)
    let error = try #require(outcome.error, "\(name): \(outcome.detail ?? "")")
    #expect(error.code == .step("restore"))
    for text in says { #expect(error.message.contains(text), "\(name): \(error.message)") }
    #expect(error.message.contains("nothing was dropped or restored"), "\(name): \(error.message)")
    #expect(outcome.calls.count == 1, "\(name): only the probe ran: \(outcome.calls)")
    #expect(!outcome.fetched, "\(name): the dump was fetched")
  }

  @Test func countsThatDifferLeaveTheDatabaseUnmarked() async throws {
    let standIn = try JujuStandIn(counts: "public|orders|4", probe: .absent)
    defer { standIn.remove() }
    let driver = try JujuDriverTests.driver(standIn)
    let error = await #expect(throws: FailoverError.self) {
      try await driver.execute(try JujuRestoreTests.restoreStep())
    }
    #expect(error?.message.contains("left as it is, without dr's marker") == true, "\(String(describing: error))")
    let calls = try standIn.calls()
    #expect(!calls.contains { $0.last?.contains("COMMENT ON DATABASE") == true })
    #expect(calls.last?.suffix(4) == ["sudo", "rm", "-f", "/tmp/dr-restore.pgc"], "the unit's copy is removed")
  }
}

/// Set once, read after: whether a closure ran.
final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false

  func set() { lock.withLock { value = true } }
  var isSet: Bool { lock.withLock { value } }
}
