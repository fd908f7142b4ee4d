import DRCore
import DRTestSupport
import Foundation
import Testing

/// `database.databases: all` on a server of the test's own (a `TestCluster`: the shared
/// server's databases come and go with other tests): every database that allows
/// connections except the templates, the URL's first, globals once, each database's own
/// row counts; the verification restores them all and runs each check where it names.
@Suite(.scenarioGate)
struct MultiDatabaseAllTests {
  /// Each database has a table `items` of its own size, so a dump restored into the wrong
  /// database, or counts compared with another's, cannot pass.
  static let databases: [(name: String, items: Int)] = [("beta", 20), ("alpha", 10), ("gamma", 30)]

  static let checks = """
    verify:
      checks:
        - {name: the first database, sql: "SELECT count(*) = 20 FROM items"}
        - {name: gamma alone, sql: "SELECT count(*) = 7 FROM gamma_only", database: gamma}

    """

  /// Injected: nothing; a server with beta, alpha and gamma, plus `closed` (no connections
  /// allowed) and the templates. Asserted: the backup lists beta (the URL's), alpha, gamma,
  /// postgres in that order, one globals object and one dump per database named after it,
  /// each database's own counts; the verification passes with the check naming gamma run
  /// in gamma (the table exists nowhere else); `dr list --json` has the databases.
  @Test func allBacksUpEveryConnectableDatabaseAndVerifiesEach() async throws {
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    try await TestCluster.with(binDirectory: bindir) { cluster in
      let fixture = try await Self.cluster(cluster, label: "multiall")
      let backedUp = try await fixture.run(["backup", "--json"])
      let id = try BackupFixture.backupID(of: backedUp)
      let names = ["beta", "alpha", "gamma", "postgres"]
      #expect(try backedUp.jsonObject()["databases"] as? [String] == names, "\(backedUp.combined)")
      let manifest = try await MultiDatabase.manifest(fixture, id)
      #expect(manifest["format_version"] as? Int == 2)
      #expect((manifest["database"] as? [String: Any])?["name"] as? String == "beta", "the first is also `database`")
      let files = MultiDatabase.objectNames(in: manifest)
      #expect(files.sorted() == (names.map { "dump-\($0).pgc.bz2" } + ["globals.sql.bz2"]).sorted(), "\(files)")
      let stored = try await fixture.keys(under: try fixture.key(id, ""))
      #expect(stored.filter { $0.contains("globals") }.count == 1, "globals once: \(stored)")
      let counts = MultiDatabase.counts(in: manifest)
      for (name, items) in Self.databases { #expect(counts[name]?["public.items"] == items, "\(name): \(counts)") }
      #expect(counts["gamma"]?["public.gamma_only"] == 7)
      #expect(counts["postgres"] == [:], "an empty database has no tables")
      let verified = try await fixture.run(["verify", "--backup", id, "--json"])
      #expect(verified.status == 0, "\(verified.combined)")
      let record = try #require(try await VerifyOutcomeTests.records(fixture, id).first)
      #expect(record["outcome"] as? String == "passed", "\(record)")
      #expect(record["tables_compared"] as? Int == 4)
      #expect(record["checks_run"] as? Int == 2)
      let listed = try await fixture.list().first { $0["id"] as? String == id }
      #expect(listed?["databases"] as? [String] == names)
      await fixture.remove()
    }
  }

  /// Injected: the manifest's count of gamma's `items` raised by one. Asserted: exit 3, the
  /// record's failure is a row count of `public.items` in database gamma (the other
  /// databases' `items`, of other sizes, were compared with their own counts and passed).
  @Test func aCountThatDiffersInOneDatabaseFailsNamingIt() async throws {
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    try await TestCluster.with(binDirectory: bindir) { cluster in
      let fixture = try await Self.cluster(cluster, label: "multicount")
      let id = try await fixture.backup()
      var manifest = try await MultiDatabase.manifest(fixture, id)
      var entries = try #require(manifest["databases"] as? [[String: Any]])
      let gamma = try #require(entries.firstIndex { $0["name"] as? String == "gamma" })
      var rowCounts = try #require(entries[gamma]["row_counts"] as? [String: Any])
      var tables = try #require(rowCounts["tables"] as? [[String: Any]])
      let items = try #require(tables.firstIndex { $0["table"] as? String == "items" })
      tables[items]["rows"] = 31
      rowCounts["tables"] = tables
      entries[gamma]["row_counts"] = rowCounts
      manifest["databases"] = entries
      try await fixture.replace(
        try fixture.manifestKey(id), with: Array(try JSONSerialization.data(withJSONObject: manifest)))
      let verified = try await fixture.run(["verify", "--backup", id])
      #expect(verified.status == 3, "\(verified.combined)")
      let record = try #require(try await VerifyOutcomeTests.records(fixture, id).first)
      let failures = record["failures"] as? [[String: Any]] ?? []
      #expect(failures.count == 1, "\(failures)")
      #expect(failures.first?["kind"] as? String == "row_count")
      #expect(failures.first?["database"] as? String == "gamma")
      #expect(failures.first?["subject"] as? String == "public.items")
      await fixture.remove()
    }
  }

  /// A fixture whose policy backs up `all` of `cluster`, made with beta (the URL's), alpha,
  /// gamma and a database that allows no connections.
  static func cluster(_ cluster: TestCluster, label: String) async throws -> BackupFixture {
    for (name, items) in databases {
      try await cluster.createDatabase(name)
      var sql = "CREATE TABLE items AS SELECT n FROM generate_series(1, \(items)) n;"
      if name == "gamma" { sql += " CREATE TABLE gamma_only AS SELECT n FROM generate_series(1, 7) n;" }
      if name == "alpha" { sql += " ALTER DATABASE alpha SET work_mem = '5MB';" }
      let made = try await cluster.client("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", name, "-c", sql])
      try #require(made.status == 0, "\(made.standardError)")
    }
    try await cluster.createDatabase("closed")
    let closed = try await cluster.client("psql", ["-X", "-q", "-c", "ALTER DATABASE closed ALLOW_CONNECTIONS false"])
    try #require(closed.status == 0, "\(closed.standardError)")
    let fixture = try await BackupFixture.make(label, compression: BackupFixture.quickCompression)
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: checks,
      databaseURL: "postgresql://postgres@/beta?host=\(cluster.directory)&port=\(cluster.port)", databases: "all")
    return fixture
  }
}
