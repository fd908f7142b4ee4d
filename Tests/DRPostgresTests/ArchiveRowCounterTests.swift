import DRCore
import DRTestSupport
import Foundation
import Testing

@testable import DRPostgres

/// The rows counted in pg_dump's archive as it streams, against `count(*)` in the same
/// snapshot, with each major's own pg_dump and server.
struct ArchiveRowCounterTests {
  /// Rows that look like the end line, empty rows, rows without columns, newlines and
  /// backslashes in values, NULLs first, partitions on two levels, inheritance, large
  /// objects (a block of another type), a table big enough for many reads.
  static let schema = """
    CREATE TABLE tricky (a text, b text);
    INSERT INTO tricky VALUES ('\\.', 'x'), (E'\\\\.', NULL), (NULL, '\\.'), ('', ''), (E'line\\nbreak', E'\\\\'),
      (E'\\\\', 'end'), ('.', '\\');
    CREATE TABLE one_empty_column (a text);
    INSERT INTO one_empty_column VALUES (''), (''), (NULL), ('\\.');
    CREATE TABLE no_columns ();
    INSERT INTO no_columns DEFAULT VALUES; INSERT INTO no_columns DEFAULT VALUES;
    CREATE TABLE empty (id int);
    CREATE TABLE big (id int, note text);
    INSERT INTO big SELECT n, repeat(md5(n::text), 1 + n % 5) || E'\\n' || n FROM generate_series(1, 40000) n;
    CREATE SCHEMA "Odd Schema";
    CREATE TABLE "Odd Schema"."Mixed Case" (x int);
    INSERT INTO "Odd Schema"."Mixed Case" SELECT generate_series(1, 17);
    CREATE TABLE events (id int, region text, at date) PARTITION BY LIST (region);
    CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu') PARTITION BY RANGE (at);
    CREATE TABLE events_eu_2024 PARTITION OF events_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE events_eu_2025 PARTITION OF events_eu FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
    INSERT INTO events SELECT n, CASE WHEN n % 3 = 0 THEN 'us' ELSE 'eu' END, date '2024-06-01' + n % 400
      FROM generate_series(1, 3000) n;
    CREATE TABLE parent (id int);
    CREATE TABLE child () INHERITS (parent);
    INSERT INTO parent VALUES (1), (2); INSERT INTO child VALUES (3);
    CREATE UNLOGGED TABLE scratch (id int);
    INSERT INTO scratch VALUES (1);
    CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one;
    SELECT lo_from_bytea(0, '\\x0a5c2e0a'::bytea);
    """

  @Test(arguments: VersionServer.majors)
  func countsWhatCountStarCountsInTheSnapshot(major: Int) async throws {
    let server = try VersionServer.major(major)
    let name = TestDatabases.uniqueName("rows\(major)")
    await server.drop(name)
    try await server.createDatabase(name, sql: Self.schema)
    let url = server.superuserURL(database: name)
    let session = try await SnapshotSession.open(url)
    // Written after the snapshot: neither count sees it.
    _ = try await PGConnection.connect(url).query(
      "INSERT INTO big VALUES (0, 'late'); INSERT INTO events_us VALUES (0, 'us')")
    let dump = try await Self.dump(server: server, url: url, snapshot: session.snapshotID)
    var counter = ArchiveRowCounter()
    var generator = SplitMix(seed: UInt64(major))
    var offset = 0
    while offset < dump.count {
      // Splits everywhere: inside integers, chunk lengths, end lines.
      let size = offset < 200_000 ? Int(generator.next() % 300) + 1 : 1 << 16
      counter.feed(Array(dump[offset..<min(offset + size, dump.count)]))
      offset += size
    }
    guard case .counted(let counted) = counter.outcome else {
      Issue.record("not counted: \(counter.outcome)")
      return
    }
    let tables = try await session.dumpedTables()
    let fromArchive = try tables.rowCounts(counted).get()
    let fromCountStar = try await session.rowCounts()
    await session.close()
    await server.drop(name)
    #expect(fromArchive == fromCountStar)
    let byName = Dictionary(uniqueKeysWithValues: fromArchive.map { ("\($0.schema).\($0.table)", $0.rows) })
    #expect(byName["public.tricky"] == 7)
    #expect(byName["public.one_empty_column"] == 4)
    #expect(byName["public.no_columns"] == 2)
    #expect(byName["public.big"] == 40000)
    #expect(byName["public.events"] == 3000)
    #expect(byName["public.events_eu"] == 2000)
    #expect(byName["public.events_us"] == 1000)
    #expect(byName["public.parent"] == 2)
    #expect(byName["Odd Schema.Mixed Case"] == 17)
    #expect(byName["public.scratch"] == 1)
    #expect(byName["public.mv"] == nil)
  }

  @Test func aCompressedArchiveIsNotCounted() async throws {
    let server = try VersionServer.major(15)
    let name = TestDatabases.uniqueName("rowsz")
    try await server.createDatabase(name, sql: "CREATE TABLE t (x int); INSERT INTO t VALUES (1)")
    let url = server.superuserURL(database: name)
    let dump = try await Self.output(server.bindir + "/pg_dump", ["--format=custom", "--dbname=\(url)"])
    await server.drop(name)
    var counter = ArchiveRowCounter()
    counter.feed(dump)
    #expect(counter.outcome == .unavailable("the archive's data is compressed"))
  }

  @Test func whatIsNotAWholeArchiveIsNotCounted() async throws {
    let server = try VersionServer.major(15)
    let name = TestDatabases.uniqueName("rowscut")
    try await server.createDatabase(name, sql: "CREATE TABLE t (x int); INSERT INTO t SELECT generate_series(1, 10)")
    let dump = try await Self.dump(server: server, url: server.superuserURL(database: name), snapshot: nil)
    await server.drop(name)
    let end = try #require(Self.range(of: Array("\\.\n".utf8), in: dump))
    // Cut inside the table's block, and just before its end line.
    for cut in [dump.count - 1, end.lowerBound] {
      var counter = ArchiveRowCounter()
      counter.feed(Array(dump[..<cut]))
      #expect(counter.outcome == .unavailable("the archive ends inside a data block"))
    }
    var whole = ArchiveRowCounter()
    whole.feed(dump)
    #expect(whole.outcome == .counted([.init(schema: "public", name: "t"): 10]))
    // The end line's chunk ("\\.\n\n\n" after its length) and the block's end replaced by
    // one more row and a block end: a block without its end line is not trusted.
    let endChunk = end.lowerBound - 5
    #expect(Array(dump[endChunk..<end.lowerBound]) == [0, 5, 0, 0, 0])
    let noEnd = Array(dump[..<endChunk]) + [0, 2, 0, 0, 0] + Array("1\n".utf8) + Array(dump[(end.lowerBound + 5)...])
    var counter = ArchiveRowCounter()
    counter.feed(noEnd)
    #expect(counter.outcome == .unavailable("the COPY data of public.t has no end line"))
    var text = ArchiveRowCounter()
    text.feed(Array("-- PostgreSQL database dump\n".utf8))
    #expect(text.outcome == .unavailable("no PGDMP magic"))
  }

  /// A TOC that goes on and on is held up to a bound, not without end.
  @Test func anEndlessTableOfContentsIsHeldOnlyToItsBound() {
    var header = Array("PGDMP".utf8) + [1, 14, 0, 4, 8, 1] + [0, 0, 0, 0, 0]  // 1.14, no compression
    header += Array(repeating: 0, count: 7 * 5)  // creation time
    for _ in 0..<3 { header += [0, 0, 0, 0, 0] }  // database name, versions: empty
    header += [0, 0x00, 0x2D, 0x31, 0x01]  // 20 000 000 entries
    var counter = ArchiveRowCounter(headLimit: 1 << 20)
    counter.feed(header)
    for _ in 0..<3 {
      counter.feed(Array(repeating: 0, count: 256 << 10))
      #expect(counter.outcome == .unavailable("the archive ends inside its table of contents"))
    }
    counter.feed(Array(repeating: 0, count: 256 << 10))
    counter.feed(Array(repeating: 0, count: 256 << 10))
    #expect(counter.outcome == .unavailable("its table of contents is larger than 1 MiB"))
  }

  @Test func aTableWithoutItsCountIsNamed() {
    let events = ArchiveRowCounter.Table(schema: "public", name: "events")
    let leaf = ArchiveRowCounter.Table(schema: "public", name: "events_1")
    let tables = DumpedTables(
      tables: [.init(name: events, partitioned: true), .init(name: leaf, partitioned: false)],
      leaves: [events: [leaf]])
    #expect(throws: DumpedTables.CountMissing(table: leaf)) { try tables.rowCounts([:]).get() }
    let counted = try? tables.rowCounts([leaf: 5]).get()
    #expect(counted?.map(\.rows) == [5, 5])
    #expect(counted?.map(\.partitioned) == [true, false])
  }

  /// pg_dump as dr runs it.
  static func dump(server: VersionServer, url: String, snapshot: String?) async throws -> [UInt8] {
    let tool = PGTool(path: server.bindir + "/pg_dump", version: "\(server.major)", majorVersion: server.major)
    let command = PGDumpCommand.dump(
      tool: tool, connection: url, password: nil, snapshot: snapshot,
      baseEnvironment: ProcessInfo.processInfo.environment)
    return try await output(command.executable, command.arguments)
  }

  static func output(_ executable: String, _ arguments: [String]) async throws -> [UInt8] {
    let child = try ChildProcess(executable, arguments, environment: ProcessInfo.processInfo.environment)
    var dump: [UInt8] = []
    while let bytes = try await child.output.next() { dump += bytes }
    #expect(await child.wait() == .exited(0), "\(child.standardError)")
    return dump
  }

  static func range(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
    guard bytes.count >= needle.count else { return nil }
    for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
      return start..<start + needle.count
    }
    return nil
  }
}

/// A seeded generator: the same splits on every run.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
