import DRBackup
import DRPostgres

/// The SQL that ends a partial restore, inside its transaction: `--into-schema`'s renames,
/// then every restored table's row count against the manifest (a difference raises an
/// error, so psql stops before `COMMIT` and nothing is kept).
enum SelectedCounts {
  /// Begins the error a count that differs raises: psql's standard error is read for it.
  static let marker = "dr-row-count:"

  /// One table to count: where it is after the restore, and what the manifest says.
  struct Table: Sendable {
    let schema: String
    let table: String
    /// `shop.orders`, as the backup names it.
    let subject: String
    let rows: Int64
    let partitioned: Bool
  }

  /// The selected tables the manifest counted, under `schema` when renamed; the others
  /// (a backup made with `row_counts: off`) are returned apart.
  static func tables(_ plan: PartialPlan, manifest: BackupManifest, into: String?) -> (counted: [Table], not: [String])
  {
    var counted: [Table] = []
    var not: [String] = []
    for entry in plan.tables {
      let schema = entry.namespace ?? ""
      guard let row = manifest.rowCounts.tables.first(where: { $0.schema == schema && $0.table == entry.tag }) else {
        not.append(entry.name)
        continue
      }
      counted.append(
        .init(
          schema: into ?? schema, table: entry.tag, subject: entry.name, rows: row.rows, partitioned: row.partitioned))
    }
    return (counted, not)
  }

  /// A DO block that raises one error naming every table whose count differs.
  static func check(_ tables: [Table]) -> String {
    guard !tables.isEmpty else { return "" }
    var body = "DECLARE restored bigint; differ text := '';\nBEGIN\n"
    for table in tables {
      let name = "\(SQL.identifier(table.schema)).\(SQL.identifier(table.table))"
      body += "SELECT count(*) INTO restored FROM \(table.partitioned ? "" : "ONLY ")\(name);\n"
      body +=
        "IF restored <> \(table.rows) THEN differ := differ || format('%s: %s rows in the manifest, %s restored; ', "
      body += "\(SQL.literal(table.subject)), \(table.rows), restored); END IF;\n"
    }
    body += "IF differ <> '' THEN RAISE EXCEPTION '\(marker) %', differ; END IF;\nEND"
    return doBlock(body)
  }

  /// `DO $tag$ body $tag$;` with a tag the body does not hold.
  static func doBlock(_ body: String) -> String {
    var tag = "dr"
    while body.contains("$\(tag)$") { tag += "_" + String(UInt32.random(in: 0...UInt32.max), radix: 16) }
    return "DO $\(tag)$\n\(body)\n$\(tag)$;\n"
  }

  /// `--into-schema`: before the script, the target's schema of that name (if any) is set
  /// aside under `aside` and an empty one made, into which pg_restore's script restores.
  static func prologue(source: String?, aside: String) -> String {
    guard let source else { return "BEGIN;\n" }
    return "BEGIN;\n"
      + doBlock(
        "BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = \(SQL.literal(source))) THEN "
          + "ALTER SCHEMA \(SQL.identifier(source)) RENAME TO \(SQL.identifier(aside)); END IF; END")
      + "CREATE SCHEMA \(SQL.identifier(source));\n"
  }

  /// After the script: the restored schema takes its new name and the set-aside one its
  /// own back (all before `COMMIT`: no other session ever sees the swap), then the counts.
  static func epilogue(source: String?, into: String?, aside: String, counts: [Table]) -> String {
    var text = ""
    if let source, let into {
      text += "ALTER SCHEMA \(SQL.identifier(source)) RENAME TO \(SQL.identifier(into));\n"
      text += doBlock(
        "BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = \(SQL.literal(aside))) THEN "
          + "ALTER SCHEMA \(SQL.identifier(aside)) RENAME TO \(SQL.identifier(source)); END IF; END")
    }
    return text + check(counts) + "COMMIT;\n"
  }
}
