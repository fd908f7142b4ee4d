import DRCore
import Foundation

/// A read-only REPEATABLE READ transaction whose snapshot is exported, so pg_dump
/// (`--snapshot=ID`) and dr's row counts see exactly the same data.
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

  /// Exact row counts of every table whose rows pg_dump dumps, in this snapshot.
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
    _ = try await connection.query("SAVEPOINT dr_database_properties")
    do {
      let properties = try await DatabaseProperties.read(database: database, on: connection)
      _ = try await connection.query("RELEASE SAVEPOINT dr_database_properties")
      return properties
    } catch {
      _ = try? await connection.query("ROLLBACK TO SAVEPOINT dr_database_properties")
      throw error
    }
  }

  /// Facts about the server and the session's role, for the manifest.
  public func serverFacts() async throws -> ServerFacts {
    let rows = try await connection.query(
      "SELECT current_setting('server_version'), current_setting('server_version_num'), "
        + "current_database(), current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
        + "(SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database())")
    guard let row = rows.first, let version = row[0], let number = row[1].flatMap({ Int($0) }) else {
      throw PostgresError(.query, "cannot read the server version")
    }
    return ServerFacts(
      version: version, versionNumber: number, database: row[2] ?? "", user: row[3] ?? "", isSuperuser: row[4] == "t",
      owner: row.count > 5 ? row[5] : nil)
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

  public var majorVersion: Int { versionNumber / 10_000 }
}
