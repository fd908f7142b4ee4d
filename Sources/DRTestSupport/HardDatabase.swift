import DRPostgres
import Foundation

/// A database that is hard to restore correctly, made in well under two seconds on the test
/// cluster: quoted mixed-case and unicode names, enums, domains, arrays, jsonb, bytea with
/// NUL and high bytes, numeric and float edge values, partitions, sequences near 2^62,
/// identity columns, deferrable and self-referencing foreign keys, views, materialized
/// views, triggers, large objects, row-level security, roles that own and read objects,
/// column grants, default privileges, comments and database-level settings.
///
///     let hard = try await HardDatabase.create(name: "dr_hard_\(id)")
///     let before = try await DatabaseFingerprint.take(hard.url)
///     // back up, restore, take the restored copy's fingerprint, compare
///     try await hard.drop()  // on every path
///
/// Two NOLOGIN roles are made per call, `dr_hard_owner_<suffix>` and
/// `dr_hard_reader_<suffix>` (random suffix, so calls may run in parallel); `drop()` removes
/// them with the database. Databases restored from it on the same server must be dropped
/// first: they hold privileges of those roles.
public struct HardDatabase: Sendable {
  /// The database's name.
  public let name: String
  /// Owns a schema, a table, sequences, a view, a type, a function and a large object.
  public let ownerRole: String
  /// Is granted SELECT on some tables and columns, USAGE on schemas, a membership.
  public let readerRole: String
  /// The role that owns the database and the other objects; nil for the superuser that
  /// created it.
  public let databaseOwner: String?
  /// The superuser URL the database was made with (of any database on that server).
  public let serverURL: String

  /// Rows of the largest table, `"Sales Q1"."Ördér Lines"`.
  public static let largeTableRows = 20_000

  /// The superuser URL of this database.
  public var url: String { Self.url(serverURL, database: name) }

  /// Creates database `name` (which must not exist) and its two roles on the server of
  /// `superuserURL` (the test cluster's by default). `owner`, when given, owns the database
  /// and the objects not given to `ownerRole`, and becomes a member of `ownerRole`; it must
  /// exist. A failed creation removes what it made.
  public static func create(
    name: String, owner: String? = nil, superuserURL: String? = nil
  ) async throws -> HardDatabase {
    let suffix = String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(12))
    let hard = HardDatabase(
      name: name, ownerRole: "dr_hard_owner_\(suffix)", readerRole: "dr_hard_reader_\(suffix)",
      databaseOwner: owner, serverURL: try superuserURL ?? TestServices.superuserURL())
    do {
      try await hard.build()
    } catch {
      try? await hard.drop()
      throw error
    }
    return hard
  }

  /// Drops the database (disconnecting its sessions) and the two roles. Idempotent.
  public func drop() async throws {
    let admin = try await PGConnection.connect(serverURL)
    _ = try await admin.query("DROP DATABASE IF EXISTS \(SQL.identifier(name)) WITH (FORCE)")
    _ = try await admin.query("DROP ROLE IF EXISTS \(SQL.identifier(ownerRole)), \(SQL.identifier(readerRole))")
  }

  private func build() async throws {
    let script = HardDatabaseScript(
      database: name, owner: ownerRole, reader: readerRole, databaseOwner: databaseOwner)
    let admin = try await PGConnection.connect(serverURL)
    _ = try await admin.query(script.roles)
    _ = try await admin.query(script.createDatabase)
    let database = try await PGConnection.connect(url)
    _ = try await database.query("SET ROLE \(script.actingRole)")
    for step in script.contentSteps { _ = try await database.query(step) }
    _ = try await database.query("RESET ROLE;\n" + script.databaseProperties)
  }

  /// `base` (a libpq URI) with its database replaced by `database`.
  public static func url(_ base: String, database: String) -> String {
    let query = base.firstIndex(of: "?").map { String(base[$0...]) } ?? ""
    let withoutQuery = String(base.dropLast(query.count))
    let schemeEnd = withoutQuery.range(of: "://")?.upperBound ?? withoutQuery.startIndex
    let authority = withoutQuery[schemeEnd...].prefix { $0 != "/" }
    let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    let encoded = database.addingPercentEncoding(withAllowedCharacters: allowed) ?? database
    return withoutQuery[..<schemeEnd] + authority + "/" + encoded + query
  }
}

/// A failure of the hard-database helpers, with what was being done.
public struct HardDatabaseError: Error, CustomStringConvertible {
  public let description: String

  public init(_ description: String) {
    self.description = description
  }
}
