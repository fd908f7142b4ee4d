import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `dr restore --target URL --dry-run` against real servers: targets of the test's own
/// (`LoopbackCluster`), whose every database and role is listed before and after, so
/// "nothing was changed" is asserted whole.
struct RestoreDryRunTests {
  /// A PostgreSQL 17 dump needing pgcrypto and a role of its own, looked at in a private 18
  /// server whose build lacks pgcrypto: exit 1, the extension named with where it comes
  /// from, the server's major, database, roles and free space ok for the superuser; as a
  /// role without CREATEDB, the database and the roles fail too and free space is unknown;
  /// into the suite's older 15 server, the version refusal's words. Asserted every time:
  /// no database, no role and no side database appears.
  @Test func aDryRunSaysWhatWouldStopTheRestoreAndChangesNothing() async throws {
    let fixture = try await VersionFixture.make("dryrun", on: 17)
    let role = TestDatabases.uniqueName("dryrole")
    let source = try await PGConnection.connect(fixture.server.superuserURL(database: fixture.database))
    _ = try await source.query(
      "CREATE ROLE \(role); CREATE EXTENSION pgcrypto; CREATE TABLE dry_owned (id int); "
        + "ALTER TABLE dry_owned OWNER TO \(role); GRANT SELECT ON dry_owned TO dr_user")
    let (id, _) = try await fixture.backup()
    let manifest = try await fixture.manifest(id)
    let recorded = (manifest["database"] as? [String: Any])?["extensions"] as? [[String: Any]] ?? []
    #expect(recorded.compactMap { $0["name"] as? String }.sorted() == ["pgcrypto", "plpgsql"], "\(manifest)")

    let target = try await LoopbackCluster.start(binDirectory: try VersionServer.major(18).bindir)
    _ = try await target.connect().query("CREATE ROLE restorer LOGIN")
    let before = (try await target.databases(), try await target.roles())

    let asSuperuser = try await fixture.run(
      ["restore", "--target", target.url(database: "restored"), "--backup", id, "--dry-run", "--json"])
    #expect(asSuperuser.status == 1, "\(asSuperuser.combined)")
    let findings = try Self.findings(asSuperuser)
    #expect(findings["server"]?.status == "ok", "\(findings)")
    #expect(findings["server"]?.detail.contains("the dump is PostgreSQL 17") == true)
    #expect(findings["extension:plpgsql"]?.status == "ok")
    #expect(findings["extension:pgcrypto"]?.status == "fail", "\(findings)")
    #expect(findings["extension:pgcrypto"]?.fix?.contains("postgresql-18") == true)
    #expect(findings["database"]?.status == "ok" && findings["roles"]?.status == "ok", "\(findings)")
    #expect(findings["free_space"]?.status == "ok", "\(findings)")
    #expect(findings["free_space"]?.detail.contains(target.directory) == true)

    let asUser = try await fixture.run(
      ["restore", "--target", target.url(database: "restored", user: "restorer"), "--backup", id, "--dry-run"])
    #expect(asUser.status == 1, "\(asUser.combined)")
    #expect(asUser.standardOutput.contains("nothing was changed"), "\(asUser.standardOutput)")
    for line in ["FAIL extension:pgcrypto", "FAIL database", "FAIL roles", "WARN free_space"] {
      #expect(asUser.standardOutput.contains(line), "\(line): \(asUser.standardOutput)")
    }
    #expect(asUser.standardOutput.contains("ALTER ROLE restorer CREATEDB"), "\(asUser.standardOutput)")
    #expect(asUser.standardOutput.contains("a role this server lacks"), "\(asUser.standardOutput)")

    #expect(try await target.databases() == before.0)
    #expect(try await target.roles() == before.1)
    #expect(!(try await target.roles()).contains(role))
    await target.destroy()

    // The suite's 15 server is older than the dump: the refusal's words, as a finding.
    let older = try VersionServer.major(15)
    let name = TestDatabases.uniqueName("dryold")
    let refused = try await fixture.run(
      ["restore", "--target", older.superuserURL(database: name), "--backup", id, "--dry-run", "--json"])
    #expect(refused.status == 1, "\(refused.combined)")
    let server = try #require(try Self.findings(refused)["server"])
    #expect(server.status == "fail" && server.detail.contains("runs PostgreSQL 15."), "\(server)")
    #expect(server.fix?.contains("--allow-older-server") == true)
    #expect(try await older.databases(prefix: name).isEmpty)
    let attempted = try await fixture.run(
      [
        "restore", "--target", older.superuserURL(database: name), "--backup", id, "--dry-run", "--json",
        "--allow-older-server",
      ])
    #expect(try Self.findings(attempted)["server"]?.status == "warn", "\(attempted.combined)")
    _ = try await source.query("DROP TABLE dry_owned; DROP ROLE \(role)")
    await fixture.remove()
  }

  /// A PostgreSQL 15 dump needing pg_trgm, looked at in a private 15 server as its
  /// superuser: every finding ok, exit 0, nothing changed; then the restore itself works,
  /// as the dry run said.
  @Test func aDryRunThatFindsNothingToStopARestoreIsRight() async throws {
    let fixture = try await BackupFixture.make("dryok")
    _ = try await PGConnection.connect(try fixture.userURL(withPassword: true)).query("CREATE EXTENSION pg_trgm")
    let id = try await fixture.backup()
    let target = try await LoopbackCluster.start(binDirectory: try VersionServer.major(15).bindir)
    let before = (try await target.databases(), try await target.roles())
    let url = target.url(database: "restored")
    let looked = try await fixture.run(["restore", "--target", url, "--backup", id, "--dry-run", "--json"])
    #expect(looked.status == 0, "\(looked.combined)")
    let findings = try Self.findings(looked)
    #expect(findings.values.allSatisfy { $0.status == "ok" }, "\(findings)")
    #expect(Set(findings.keys).isSuperset(of: ["server", "extension:pg_trgm", "database", "roles", "free_space"]))
    #expect(try looked.jsonObject()["ok"] as? Bool == true)
    #expect(try await target.databases() == before.0)
    #expect(try await target.roles() == before.1)

    let restored = try await fixture.run(["restore", "--target", url, "--backup", id])
    #expect(restored.status == 0, "\(restored.combined)")
    for (table, rows) in BackupFixture.schemaRows {
      #expect(try await TestDatabases.rows(url, table) == rows, "\(table)")
    }
    await target.destroy()
    await fixture.remove()
  }

  struct Finding: CustomStringConvertible {
    let status: String
    let detail: String
    let fix: String?
    var description: String { "\(status): \(detail)\(fix.map { " (fix: \($0))" } ?? "")" }
  }

  /// The findings of `dr restore --dry-run --json`, by check.
  static func findings(_ result: DRBinary.Result) throws -> [String: Finding] {
    let list = try result.jsonObject()["findings"] as? [[String: Any]] ?? []
    var byCheck: [String: Finding] = [:]
    for item in list {
      guard let check = item["check"] as? String, let status = item["status"] as? String else { continue }
      byCheck[check] = Finding(status: status, detail: item["detail"] as? String ?? "", fix: item["fix"] as? String)
    }
    return byCheck
  }
}
