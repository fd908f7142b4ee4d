import DRCore
import Foundation

/// A read-only REPEATABLE READ transaction whose snapshot is exported, so pg_dump
/// (`--snapshot=ID`) and dr's catalogue reads (and, when needed, row counts) see exactly
/// the same data.
///
/// The transaction must stay open until pg_dump has taken the snapshot; `close()` ends it.
public final class SnapshotSession: Sendable {
  public let connection: PGConnection
  public let snapshotID: String

  private init(connection: PGConnection, snapshotID: String) {
    self.connection = connection
    self.snapshotID = snapshotID
  }

  public static func open(_ url: String) async throws -> SnapshotSession {
    let connection = try await PGConnection.connect(url, applicationName: "dr backup")
    _ = try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    let rows = try await connection.query("SELECT pg_export_snapshot()")
    guard let id = rows.first?.first ?? nil else {
      throw PostgresError(.query, "pg_export_snapshot() returned nothing")
    }
    return SnapshotSession(connection: connection, snapshotID: id)
  }

  /// Ends the transaction (the snapshot stays valid for pg_dump once it has imported it).
  public func close() async {
    _ = try? await connection.query("ROLLBACK")
  }

  /// The tables whose rows pg_dump dumps and the partitions of each partitioned one, in
  /// this snapshot: with the dump's own counts (`ArchiveRowCounter`), its row counts.
  public func dumpedTables() async throws -> DumpedTables {
    try await DumpedTables.read(on: connection)
  }

  /// Exact row counts of every table whose rows pg_dump dumps, in this snapshot, by
  /// `count(*)`: each table read again, so only when the dump's own counts are missing.
  public func rowCounts() async throws -> [TableRowCount] {
    let tables = try await connection.query(TableRowCount.catalogQuery)
    var counts: [TableRowCount] = []
    for start in stride(from: 0, to: tables.count, by: 100) {
      let batch = tables[start..<min(start + 100, tables.count)]
      let sql = batch.map { $0[3] ?? "" }.joined(separator: " UNION ALL ")
      for row in try await connection.query(sql) {
        guard let schema = row[0], let table = row[1], let kind = row[2], let count = row[3].flatMap({ Int64($0) })
        else { throw PostgresError(.query, "unexpected row count result") }
        counts.append(TableRowCount(schema: schema, table: table, partitioned: kind == "p", rows: count))
      }
    }
    return counts.sorted { ($0.schema, $0.table) < ($1.schema, $1.table) }
  }

  /// The properties of the session's database (`DatabaseProperties`), in the snapshot. A
  /// failure is thrown with the transaction left usable (a savepoint), so the dump goes on.
  public func databaseProperties(of database: String) async throws -> DatabaseProperties? {
    try await savepoint { try await DatabaseProperties.read(database: database, on: $0) }
  }

  /// The extensions of the session's database, in the snapshot (what its restore needs the
  /// target to offer). A failure is thrown with the transaction left usable.
  public func extensions() async throws -> [InstalledExtension] {
    try await savepoint { try await InstalledExtension.read(on: $0) }
  }

  /// `body` inside a savepoint: when it fails, the transaction (and the exported snapshot
  /// pg_dump uses) stays usable.
  private func savepoint<T>(_ body: (PGConnection) async throws -> T) async throws -> T {
    _ = try await connection.query("SAVEPOINT dr_read")
    do {
      let result = try await body(connection)
      _ = try await connection.query("RELEASE SAVEPOINT dr_read")
      return result
    } catch {
      _ = try? await connection.query("ROLLBACK TO SAVEPOINT dr_read")
      throw error
    }
  }

  /// Facts about the server and the session's role, for the manifest.
  public func serverFacts() async throws -> ServerFacts {
    let rows = try await connection.query(
      "SELECT current_setting('server_version'), current_setting('server_version_num'), "
        + "current_database(), current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
        + "(SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()), "
        + "pg_catalog.has_table_privilege('pg_catalog.pg_authid', 'SELECT')")
    guard let row = rows.first, let version = row[0], let number = row[1].flatMap({ Int($0) }) else {
      throw PostgresError(.query, "cannot read the server version")
    }
    return ServerFacts(
      version: version, versionNumber: number, database: row[2] ?? "", user: row[3] ?? "", isSuperuser: row[4] == "t",
      owner: row.count > 5 ? row[5] : nil, readsRolePasswords: row[4] == "t" || (row.count > 6 && row[6] == "t"))
  }
}

public struct ServerFacts: Sendable, Equatable, Codable {
  public let version: String
  public let versionNumber: Int
  public let database: String
  public let user: String
  public let isSuperuser: Bool
  /// The database's owner.
  public var owner: String? = nil
  /// The role may read `pg_authid` (a superuser, or a member of `pg_read_all_data`), so
  /// `pg_dumpall --globals-only` can dump role passwords; otherwise it needs
  /// `--no-role-passwords`, which reads `pg_roles` instead.
  public var readsRolePasswords = false

  public var majorVersion: Int { versionNumber / 10_000 }
}
