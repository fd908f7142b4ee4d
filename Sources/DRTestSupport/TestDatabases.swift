import DRPostgres
import Foundation

/// Databases of the test server, as its superuser sees them.
public enum TestDatabases {
  /// `dr_LABEL_RANDOM`: a name no other test uses (lower case, so it needs no quoting).
  public static func uniqueName(_ label: String, length: Int = 8) -> String {
    "dr_\(label)_\(UUID().uuidString.prefix(length).lowercased())"
  }

  /// A new database `dr_LABEL_RANDOM` on the test server (owned by the superuser), with
  /// `sql` run in it; its name and superuser URL.
  public static func create(_ label: String, sql: String? = nil) async throws -> (name: String, url: String) {
    let name = uniqueName(label)
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE DATABASE \(SQL.identifier(name))")
    let url = try TestServices.superuserURL(database: name)
    if let sql { _ = try await PGConnection.connect(url).query(sql) }
    return (name, url)
  }

  /// A table of a restore target's own: 123 rows a restore must not lose until it replaces them.
  public static let preciousTable = "CREATE TABLE precious AS SELECT n FROM generate_series(1, 123) n"

  /// Whether a database of that name is on the test server.
  public static func exists(_ name: String) async throws -> Bool {
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    return try await !admin.query("SELECT 1 FROM pg_database WHERE datname = \(SQL.literal(name))").isEmpty
  }

  /// Drops the database if it is there, whoever is connected to it; a failure is ignored
  /// (tests call it to clean up).
  public static func drop(_ name: String) async {
    let admin = try? await PGConnection.connect(try TestServices.superuserURL())
    _ = try? await admin?.query("DROP DATABASE IF EXISTS \(SQL.identifier(name)) WITH (FORCE)")
  }

  /// The first value of `sql`'s first row in `url`'s database.
  public static func value(_ url: String, _ sql: String) async throws -> String? {
    try await PGConnection.connect(url).query(sql).first?.first ?? nil
  }

  /// `SELECT count(*)` of a table (`schema.table`, written as SQL) in `url`'s database.
  public static func rows(_ url: String, _ table: String) async throws -> Int? {
    try await value(url, "SELECT count(*) FROM \(table)").flatMap { Int($0) }
  }

  /// The first database name starting with `prefix` in `text` (a side database dr logged,
  /// `dr_restore_…`, or the replaced one, `dr_replaced_…`), if any.
  public static func named(_ prefix: String, in text: String) -> String? {
    guard let range = text.range(of: prefix) else { return nil }
    return prefix + text[range.upperBound...].prefix { $0.isLetter || $0.isNumber }
  }
}
