/// The number of rows of one table, as dumped.
public struct TableRowCount: Sendable, Equatable, Codable, Hashable {
  public let schema: String
  public let table: String
  /// A partitioned parent: its count includes every partition's rows.
  public let partitioned: Bool
  public let rows: Int64

  /// Every table whose data pg_dump writes: ordinary tables (partitions included, counted
  /// alone with ONLY, as pg_dump copies them) and partitioned parents (counted with their
  /// partitions). Not system schemas, not temporary tables, not tables of extensions.
  /// The fourth column is the counting query for that table, quoted by the server.
  static let catalogQuery = """
    SELECT n.nspname, c.relname, c.relkind::text,
           format('SELECT %L::text, %L::text, %L::text, count(*)::text FROM %s %I.%I',
                  n.nspname, c.relname, c.relkind,
                  CASE WHEN c.relkind = 'p' THEN '' ELSE 'ONLY' END, n.nspname, c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
      AND n.nspname NOT LIKE 'pg\\_temp\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY n.nspname, c.relname
    """
}
