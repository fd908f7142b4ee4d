import DRBackup
import DRPostgres

extension TestDatabases {
  /// The tables of `manifest` whose rows in `url`'s database are not the manifest's count
  /// (`schema.table: N in the manifest, M here`; a table that cannot be counted, too).
  /// A partitioned table counts its partitions' rows, any other table only its own.
  public static func rowCountDifferences(_ manifest: BackupManifest, in url: String, password: String? = nil)
    async throws -> [String]
  {
    let connection = try await PGConnection.connect(url, password: password)
    var differences: [String] = []
    for table in manifest.rowCounts.tables {
      let name = "\(SQL.identifier(table.schema)).\(SQL.identifier(table.table))"
      let rows = try? await connection.query("SELECT count(*) FROM \(table.partitioned ? "" : "ONLY") \(name)")
      let count = rows?.first?.first.flatMap { $0 }.flatMap { Int64($0) }
      if count != table.rows {
        differences.append(
          "\(table.schema).\(table.table): \(table.rows) in the manifest, \(count.map(String.init) ?? "none") here")
      }
    }
    return differences
  }
}
