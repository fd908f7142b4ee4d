import DRCore

/// The tables whose rows pg_dump dumps (`TableRowCount.catalogQuery`), read in the dump's
/// snapshot, with the leaf partitions of each partitioned one: what turns the counts of an
/// archive's TABLE DATA blocks (`ArchiveRowCounter`) into the manifest's row counts.
public struct DumpedTables: Sendable, Equatable {
  public struct Table: Sendable, Equatable {
    public let name: ArchiveRowCounter.Table
    public let partitioned: Bool
  }

  public let tables: [Table]
  /// Each partitioned table's leaf partitions that are tables (pg_dump copies their rows;
  /// a foreign partition's rows stay where they are).
  public let leaves: [ArchiveRowCounter.Table: [ArchiveRowCounter.Table]]

  /// Leaf partitions of every partitioned table, through every level.
  static let leavesQuery = """
    WITH RECURSIVE tree(root, rel) AS (
      SELECT c.oid, c.oid FROM pg_class c WHERE c.relkind = 'p'
      UNION ALL
      SELECT tree.root, i.inhrelid FROM tree JOIN pg_inherits i ON i.inhparent = tree.rel
    )
    SELECT rn.nspname, r.relname, ln.nspname, l.relname
    FROM tree JOIN pg_class r ON r.oid = tree.root JOIN pg_namespace rn ON rn.oid = r.relnamespace
      JOIN pg_class l ON l.oid = tree.rel JOIN pg_namespace ln ON ln.oid = l.relnamespace
    WHERE l.relkind = 'r'
    """

  /// Reads both in the transaction of `connection` (the snapshot's).
  static func read(on connection: PGConnection) async throws -> DumpedTables {
    let tables = try await connection.query(TableRowCount.catalogQuery).map { row in
      guard let schema = row[0], let name = row[1], let kind = row[2] else {
        throw PostgresError(.query, "unexpected table list")
      }
      return Table(name: .init(schema: schema, name: name), partitioned: kind == "p")
    }
    var leaves: [ArchiveRowCounter.Table: [ArchiveRowCounter.Table]] = [:]
    for row in try await connection.query(leavesQuery) {
      guard let rootSchema = row[0], let root = row[1], let schema = row[2], let leaf = row[3] else {
        throw PostgresError(.query, "unexpected partition list")
      }
      leaves[.init(schema: rootSchema, name: root), default: []].append(.init(schema: schema, name: leaf))
    }
    return DumpedTables(tables: tables, leaves: leaves)
  }

  /// Every table's rows from the archive's counts: a partitioned table's are its leaves'.
  /// A table the archive holds no count for makes it `.failure`, with its name.
  public func rowCounts(_ counted: [ArchiveRowCounter.Table: Int64]) -> Result<[TableRowCount], CountMissing> {
    var counts: [TableRowCount] = []
    for table in tables {
      let sources = table.partitioned ? leaves[table.name] ?? [] : [table.name]
      var rows: Int64 = 0
      for source in sources {
        guard let count = counted[source] else { return .failure(CountMissing(table: source)) }
        rows += count
      }
      counts.append(
        TableRowCount(schema: table.name.schema, table: table.name.name, partitioned: table.partitioned, rows: rows))
    }
    return .success(counts.sorted { ($0.schema, $0.table) < ($1.schema, $1.table) })
  }

  public struct CountMissing: Error, Equatable, CustomStringConvertible {
    public let table: ArchiveRowCounter.Table
    public var description: String { "the archive has no rows of \(table.schema).\(table.name)" }
  }
}
