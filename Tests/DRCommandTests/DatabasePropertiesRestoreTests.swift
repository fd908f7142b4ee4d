import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `dr restore --target` and the failover give the restored database the source's own
/// properties (issue 16): a new database gets its owner, encoding and locale, settings,
/// privileges and comment; a server without its locale stops the restore before anything
/// is touched.
@Suite(.scenarioGate)
struct DatabasePropertiesRestoreTests {
  /// A LATIN1 database with the C locale, owned by a role of its own, with settings, a
  /// role's settings, privileges and a comment, backed up by the superuser.
  struct Source {
    let fixture: BackupFixture
    let name: String
    let owner: String
    let admin: PGConnection

    static func make(_ label: String) async throws -> Source {
      let fixture = try await BackupFixture.make(label)
      let source = Source(
        fixture: fixture, name: fixture.database + "_latin1", owner: fixture.database + "_dbo",
        admin: try await PGConnection.connect(try TestServices.superuserURL()))
      _ = try await source.admin.query("CREATE ROLE \(source.owner)")
      _ = try await source.admin.query(
        "CREATE DATABASE \(source.name) OWNER \(source.owner) TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C'")
      _ = try await source.admin.query(
        """
        ALTER DATABASE \(source.name) SET search_path = "$user", public;
        ALTER DATABASE \(source.name) CONNECTION LIMIT 12;
        ALTER ROLE \(source.owner) IN DATABASE \(source.name) SET work_mem = '2MB';
        REVOKE CONNECT ON DATABASE \(source.name) FROM PUBLIC;
        GRANT CONNECT ON DATABASE \(source.name) TO dr_user;
        COMMENT ON DATABASE \(source.name) IS 'transfers, in LATIN1';
        """)
      _ = try await PGConnection.connect(try TestServices.superuserURL(database: source.name)).query(
        "CREATE TABLE t (id int, note text); INSERT INTO t SELECT n, 'é' || n FROM generate_series(1, 300) n")
      try fixture.writePolicy(
        endpoint: try TestServices.s3Endpoint(), databaseURL: try TestServices.superuserURL(database: source.name))
      return source
    }

    func properties() async throws -> DatabaseProperties {
      try #require(try await DatabaseProperties.read(database: name, on: admin))
    }

    func remove() async {
      await TestDatabases.drop(name)
      await fixture.remove()
      _ = try? await admin.query("DROP ROLE IF EXISTS \(owner)")
    }
  }

  /// Injected first: the manifest's locale is one the target server lacks. Asserted: exit
  /// 1 naming the locale, and the target cluster untouched (no database, no role made).
  /// Then, with the manifest as written: a new database with the source's owner,
  /// encoding, locale and every other property, and its rows.
  @Test func aNewTargetDatabaseGetsTheSourcesOwnerEncodingLocaleAndTheRest() async throws {
    let source = try await Source.make("proprestore")
    let id = try await source.fixture.backup()
    let key = try source.fixture.manifestKey(id)
    let written = try await source.fixture.object(key)
    try await DatabasePropertiesVerifyTests.alterProperties(source.fixture, id) { $0["collate"] = "xx_XX.UTF-8" }
    try await TestCluster.with(binDirectory: try TestServices.require("DR_TEST_PG_BINDIR")) { cluster in
      let target = "postgresql://postgres@/copy?host=\(cluster.directory)&port=\(cluster.port)"
      let refused = try await source.fixture.run(["restore", "--backup", id, "--target", target])
      #expect(refused.status == 1, "\(refused.combined)")
      #expect(refused.standardError.contains("xx_XX.UTF-8"), "\(refused.standardError)")
      let admin = try await PGConnection.connect(cluster.connectionString(database: "postgres"))
      let databases = try await admin.query("SELECT datname FROM pg_database ORDER BY 1").compactMap { $0[0] }
      #expect(databases == ["postgres", "template0", "template1"], "nothing created")
      #expect(try await admin.query("SELECT count(*) FROM pg_roles WHERE rolname !~ '^pg_'") == [["1"]])
      var tally = FaultTally("restore into a server without the source's locale")
      tally.faults = 1
      await FaultLedger.record(tally)

      try await source.fixture.replace(key, with: written)
      let restored = try await source.fixture.run(["restore", "--backup", id, "--target", target])
      #expect(restored.status == 0, "\(restored.combined)")
      let copy = try #require(try await DatabaseProperties.read(database: "copy", on: admin))
      let original = try await source.properties()
      #expect(copy.owner == source.owner && copy.encoding == "LATIN1" && copy.collate == "C" && copy.ctype == "C")
      #expect(original.differences(in: copy).isEmpty, "\(original.differences(in: copy))")
      let rows = try await PGConnection.connect(cluster.connectionString(database: "copy")).query(
        "SELECT count(*), max(note) FROM t")
      #expect(rows == [["300", "é99"]])
    }
    await source.remove()
  }

  /// The failover's database gets the source's owner, settings, roles' settings and
  /// privileges; its comment stays dr's marker.
  @Test func theFailoversDatabaseGetsTheSourcesProperties() async throws {
    let stack = try await FailoverCommandTests().stack(
      "propfailover",
      before: { database in
        """
        ALTER DATABASE \(database) SET work_mem = '3MB';
        ALTER DATABASE \(database) SET search_path = "$user", public, sales;
        REVOKE TEMPORARY ON DATABASE \(database) FROM PUBLIC;
        ALTER ROLE dr_user IN DATABASE \(database) SET statement_timeout = '7min';
        COMMENT ON DATABASE \(database) IS 'production';
        """
      })
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    let original = try #require(try await DatabaseProperties.read(database: stack.fixture.database, on: admin))
    let failover = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(failover.status == 0, "\(failover.combined)")
    let restored = try await DatabaseProperties.read(
      database: stack.fixture.database, on: try await FailoverRerunTests.connect(stack, database: "postgres"))
    _ = try await stack.run(["down", "--env", "failover", "--purge"])
    await stack.fixture.remove()
    let copy = try #require(restored)
    #expect(original.differences(in: copy) { $0 == .comment }.isEmpty, "\(original.differences(in: copy))")
    #expect(copy.comment?.hasPrefix("dr failover restore of ") == true, "\(copy.comment ?? "")")
    #expect(copy.settings.contains("work_mem=3MB") && copy.owner == "dr_user")
  }
}
