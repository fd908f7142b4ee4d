import DRCore
import DRTestSupport
import Foundation
import Testing

@testable import DRPostgres

/// The snapshot that pg_dump and the row counts share, against the real PostgreSQL.
struct SnapshotSessionTests {
  static let schema = """
    CREATE SCHEMA "Sales";
    CREATE TABLE "Sales"."Orders" (id int PRIMARY KEY, note text);
    INSERT INTO "Sales"."Orders" SELECT n, 'o' || n FROM generate_series(1, 250) n;
    CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    INSERT INTO events SELECT n, date '2024-06-01' + n FROM generate_series(1, 400) n;
    CREATE TABLE parent (id int);
    CREATE TABLE child () INHERITS (parent);
    INSERT INTO parent VALUES (1), (2);
    INSERT INTO child VALUES (3);
    CREATE TABLE "ünïcode table" (x int);
    CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one;
    """

  func makeDatabase() async throws -> String {
    try await TestDatabases.create("snap", sql: Self.schema).name
  }

  func dropDatabase(_ name: String) async { await TestDatabases.drop(name) }

  @Test func countsEveryDumpedTableInTheSnapshot() async throws {
    let name = try await makeDatabase()
    let url = try TestServices.superuserURL(database: name)
    let session = try await SnapshotSession.open(url)
    // Rows written after the snapshot was exported are not in it.
    let writer = try await PGConnection.connect(url)
    _ = try await writer.query("INSERT INTO \"Sales\".\"Orders\" VALUES (9999, 'late'); INSERT INTO child VALUES (4)")
    let counts = try await session.rowCounts()
    let byName = Dictionary(uniqueKeysWithValues: counts.map { ("\($0.schema).\($0.table)", $0) })
    #expect(byName["Sales.Orders"]?.rows == 250)
    #expect(byName["public.events"]?.rows == 400)
    #expect(byName["public.events"]?.partitioned == true)
    #expect(byName["public.events_2024"]?.rows == 213)
    #expect(byName["public.events_2025"]?.rows == 187)
    #expect(byName["public.parent"]?.rows == 2)
    #expect(byName["public.child"]?.rows == 1)
    #expect(byName["public.ünïcode table"]?.rows == 0)
    #expect(byName["public.mv"] == nil)
    #expect(counts.count == 7)
    let facts = try await session.serverFacts()
    #expect(facts.majorVersion == 15)
    #expect(facts.isSuperuser)
    #expect(facts.database == name)
    await session.close()
    await dropDatabase(name)
  }

  @Test func pgDumpWithTheSnapshotSeesWhatWasCounted() async throws {
    let name = try await makeDatabase()
    let url = try TestServices.superuserURL(database: name)
    let session = try await SnapshotSession.open(url)
    let writer = try await PGConnection.connect(url)
    _ = try await writer.query("INSERT INTO \"Sales\".\"Orders\" VALUES (9999, 'late')")
    let tool = try await PGToolLocator().locate("pg_dump", forServerMajor: 15)
    let command = PGDumpCommand.dump(
      tool: tool, connection: url, password: nil, snapshot: session.snapshotID,
      baseEnvironment: ProcessInfo.processInfo.environment)
    let child = try ChildProcess(command.executable, command.arguments, environment: command.environment)
    var dump: [UInt8] = []
    while let bytes = try await child.output.next() { dump += bytes }
    #expect(await child.wait() == .exited(0), "\(child.standardError)")
    await session.close()
    #expect(Array(dump.prefix(5)) == Array("PGDMP".utf8))
    let file = TemporaryDirectory.unique("dr-dump") + "/dump.pgc"
    try Data(dump).write(to: URL(fileURLWithPath: file))
    let listing = try await ProcessRunner.run(
      tool.sibling("pg_restore"), ["--file=-", "--data-only", file])
    // 250 rows of Orders in the snapshot: the late row is not in the dump.
    #expect(listing.standardOutput.contains("250\to250"))
    #expect(!listing.standardOutput.contains("9999\tlate"))
    await dropDatabase(name)
  }

  @Test func commandsKeepThePasswordOutOfTheArguments() throws {
    let tool = PGTool(path: "/usr/lib/postgresql/15/bin/pg_dump", version: "15.18", majorVersion: 15)
    let dump = PGDumpCommand.dump(
      tool: tool, connection: "postgresql://u@h/db", password: "pw-secret", snapshot: "00000003-1", baseEnvironment: [:]
    )
    #expect(
      dump.arguments == [
        "--format=custom", "--compress=0", "--no-password", "--dbname=postgresql://u@h/db", "--snapshot=00000003-1",
      ])
    #expect(dump.environment["PGPASSWORD"] == "pw-secret")
    #expect(!dump.arguments.joined().contains("pw-secret"))
    let globals = PGDumpCommand.globals(
      tool: tool, connection: "postgresql://u@h/db", password: nil, withRolePasswords: false, baseEnvironment: [:])
    #expect(globals.arguments.contains("--no-role-passwords"))
    #expect(globals.arguments.contains("--globals-only"))
  }
}
