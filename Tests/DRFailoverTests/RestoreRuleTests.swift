import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

@testable import DRFailover

/// The rule of a failover's restore as values (issue 15): what each probe answer means,
/// and what the failure says.
struct RestoreRuleTests {
  static let backup = "20261124T221900Z-7f3a"
  static let older = "20261101T000000Z-00a1"
  static let local = RestoreRule(database: "summit", backup: backup, environment: "failover", platform: .local)

  @Test(
    arguments: [
      (DatabaseContents.absent, nil, RestoreRule.Decision.create),
      (.present(objects: 0, comment: nil), nil, .fill),
      (.present(objects: 0, comment: "made by hand"), nil, .fill),
      (.present(objects: 0, comment: DatabaseContents.marker(older)), nil, .fill),
      (.present(objects: 40, comment: DatabaseContents.marker(backup)), nil, .alreadyRestored),
      (.present(objects: 0, comment: DatabaseContents.marker(backup)), nil, .alreadyRestored),
      (.present(objects: 40, comment: DatabaseContents.marker(older)), nil, .refuse),
      (.present(objects: 40, comment: DatabaseContents.marker(older)), backup, .refuse),
      (.present(objects: 40, comment: nil), nil, .refuse),
      (.present(objects: 40, comment: "dr failover restore of \(backup) and more"), nil, .refuse),
      // A restore by a dr older than the marker: its state file says which backup.
      (.present(objects: 40, comment: nil), backup, .alreadyRestored),
      (.present(objects: 40, comment: nil), older, .refuse),
    ] as [(DatabaseContents, String?, RestoreRule.Decision)])
  func eachAnswerHasOneDecision(_ contents: DatabaseContents, _ state: String?, _ decision: RestoreRule.Decision) {
    #expect(Self.local.decide(contents, stateRestored: state) == decision)
  }

  @Test func aRefusalSaysWhatIsThereAndTheWayOut() {
    let marked = Self.local.refusal(.present(objects: 40, comment: DatabaseContents.marker(Self.older)))
    #expect(marked.code == .step("restore"))
    #expect(
      marked.message
        == "database summit already holds backup \(Self.older) (restored by dr), 40 objects, not backup "
        + "\(Self.backup): dr never drops a database that holds data, so nothing was dropped or restored. "
        + "To resume the failover of \(Self.older): dr restore --env failover --backup \(Self.older). "
        + "To restore \(Self.backup) instead: dr down --env failover --purge (this deletes the failover's cluster "
        + "and everything written to it), then run again.")
    let unmarked = Self.local.refusal(.present(objects: 3, comment: "ours"))
    #expect(unmarked.message.hasPrefix("database summit already holds 3 objects, not backup \(Self.backup)"))
    #expect(!unmarked.message.contains("To resume"))
    let uncertain = Self.local.uncertainty("connection refused")
    #expect(uncertain.message.hasPrefix("cannot tell what database summit holds (connection refused)"))
    #expect(
      uncertain.message.hasSuffix(
        "dr down --env failover --purge (this deletes the failover's cluster "
          + "and everything written to it), then run again."))
  }

  @Test(
    arguments: [
      ("dr-probe|0|\n", DatabaseContents.present(objects: 0, comment: nil)),
      (
        "dr-probe|12|dr failover restore of 20261124T221900Z-7f3a\n",
        .present(objects: 12, comment: DatabaseContents.marker(backup))
      ),
      ("NOTICE: hello\ndr-probe|3|a|b\n", .present(objects: 3, comment: "a|b")),
      ("", nil), ("dr-probe|12\n", nil), ("dr-probe|-1|\n", nil), ("dr-probe|x|\n", nil),
      ("dr-probe|0|\ndr-probe|0|\n", nil), ("probe|0|\n", nil),
    ] as [(String, DatabaseContents?)])
  func psqlOutputIsReadStrictly(_ output: String, _ contents: DatabaseContents?) {
    #expect(DatabaseContents(psqlOutput: output) == contents)
  }

  @Test func onlyAWellFormedMarkerNamesABackup() {
    #expect(
      DatabaseContents.present(objects: 1, comment: DatabaseContents.marker(Self.backup)).markedBackup == Self.backup)
    #expect(DatabaseContents.present(objects: 1, comment: "dr failover restore of latest").markedBackup == nil)
    #expect(DatabaseContents.present(objects: 1, comment: " dr failover restore of \(Self.backup)").markedBackup == nil)
    #expect(DatabaseContents.absent.markedBackup == nil)
  }
}

/// The probe on the real PostgreSQL, through libpq and through `psql -At` (as the juju
/// driver runs it): what counts as a user object, and the comment.
struct DatabaseProbeTests {
  func probe(_ setup: String, comment: String? = nil) async throws -> (DatabaseContents?, DatabaseContents?) {
    let name = "dr_probe_\(UUID().uuidString.prefix(8).lowercased())"
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE DATABASE \(name)")
    do {
      let answers = try await probe(name, setup, comment: comment, admin: admin)
      _ = try await admin.query("DROP DATABASE \(name) WITH (FORCE)")
      return answers
    } catch {
      _ = try? await admin.query("DROP DATABASE \(name) WITH (FORCE)")
      throw error
    }
  }

  func probe(_ name: String, _ setup: String, comment: String?, admin: PGConnection) async throws
    -> (DatabaseContents?, DatabaseContents?)
  {
    if let comment { _ = try await admin.query("COMMENT ON DATABASE \(name) IS \(SQL.literal(comment))") }
    let url = try TestServices.superuserURL(database: name)
    let connection = try await PGConnection.connect(url)
    if !setup.isEmpty { _ = try await connection.query(setup) }
    let rows = try await connection.query(DatabaseContents.probeQuery)
    let psql = try await ProcessRunner.run(
      "\(try TestServices.require("DR_TEST_PG_BINDIR"))/psql",
      ["-X", "-At", "-d", url, "-c", DatabaseContents.probeQuery])
    #expect(psql.status == 0, "\(psql.standardError)")
    let viaLibpq = rows.count == 1 ? DatabaseContents(fields: rows[0]) : nil
    return (viaLibpq, DatabaseContents(psqlOutput: psql.standardOutput))
  }

  @Test(arguments: [
    ("", 0),
    ("CREATE TABLE t (id int PRIMARY KEY, note text)", 1),
    ("CREATE SCHEMA app; CREATE TABLE app.t (id serial); CREATE VIEW app.v AS SELECT 1 AS one", 4),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", 1),
    ("CREATE TYPE mood AS ENUM ('ok'); CREATE DOMAIN positive AS int CHECK (VALUE > 0)", 2),
    ("SELECT lo_create(0)", 1),
    ("CREATE TEMPORARY TABLE scratch (id int)", 0),
  ])
  func userObjectsAreCounted(_ setup: String, _ objects: Int) async throws {
    let (libpq, psql) = try await probe(setup)
    #expect(libpq == .present(objects: objects, comment: nil), "\(setup)")
    #expect(psql == libpq, "\(setup)")
  }

  @Test func theCommentComesBackWithLineBreaksAsSpaces() async throws {
    let marker = DatabaseContents.marker(RestoreRuleTests.backup)
    let (libpq, psql) = try await probe("", comment: marker)
    #expect(libpq?.markedBackup == RestoreRuleTests.backup)
    #expect(psql == libpq)
    let (multiline, viaPsql) = try await probe("CREATE TABLE t (id int)", comment: "two\nlines | and a bar")
    #expect(multiline == .present(objects: 1, comment: "two lines | and a bar"))
    #expect(viaPsql == multiline)
  }
}
