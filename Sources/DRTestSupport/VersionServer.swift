import DRPolicy
import DRPostgres
import Foundation

/// One of the suite's PostgreSQL servers, by major version: Debian's 15 (`DR_TEST_PG_*`),
/// and 17 and 18 from scripts/pg-versions (`DR_TEST_PG17_*`, `DR_TEST_PG18_*`), all started
/// by scripts/services on 127.0.0.1 with a superuser `postgres` and a password user
/// `dr_user`. A test that needs one fails when it is missing (never skips).
public struct VersionServer: Sendable {
  /// The majors of the version matrix.
  public static let majors = [15, 17, 18]

  public let major: Int
  /// The superuser's URL of `postgres`, password included.
  public let superuserURL: String
  /// `dr_user`'s URL of `dr_test`, without its password.
  public let userURL: String
  public let userPassword: String
  /// Its programs (initdb, pg_dump, pg_restore…).
  public let bindir: String

  public static func major(_ major: Int) throws -> VersionServer {
    let prefix = major == 15 ? "DR_TEST_PG_" : "DR_TEST_PG\(major)_"
    do {
      return VersionServer(
        major: major, superuserURL: try TestServices.require(prefix + "URL"),
        userURL: try TestServices.require(prefix + "USER_URL"),
        userPassword: try TestServices.require(prefix + "USER_PASSWORD"),
        bindir: try TestServices.require(prefix + "BINDIR"))
    } catch let missing as TestServices.Missing where major != 15 {
      throw TestSupportError(
        "\(missing); PostgreSQL \(major) comes from scripts/pg-versions install, then scripts/services down and up")
    }
  }

  /// `DR_PG_BINDIR` with every major beside Debian's 15 (found in its standard layout).
  public static func searchPath() throws -> String {
    try majors.filter { $0 != 15 }.map { try major($0).bindir }.joined(separator: ":")
  }

  /// The superuser's URL of `database`.
  public func superuserURL(database: String) -> String {
    PostgresURL.replacingDatabase(of: superuserURL, with: database)
  }

  /// dr_user's URL of `database` (no password: PGPASSWORD gives it).
  public func userURL(database: String) -> String {
    PostgresURL.replacingDatabase(of: userURL, with: database)
  }

  /// `CREATE DATABASE name OWNER dr_user`, then `sql` in it as dr_user.
  public func createDatabase(_ name: String, sql: String?) async throws {
    let admin = try await PGConnection.connect(superuserURL)
    _ = try await admin.query("CREATE DATABASE \(SQL.identifier(name)) OWNER dr_user")
    if let sql {
      _ = try await PGConnection.connect(userURL(database: name), password: userPassword).query(sql)
    }
  }

  /// The databases whose name starts with `prefix`.
  public func databases(prefix: String) async throws -> [String] {
    let admin = try await PGConnection.connect(superuserURL)
    let rows = try await admin.query(
      "SELECT datname FROM pg_database WHERE starts_with(datname, \(SQL.literal(prefix))) ORDER BY 1")
    return rows.compactMap { $0.first ?? nil }
  }

  /// Drops `name` if it is there; a failure is ignored (tests call it to clean up).
  public func drop(_ name: String) async {
    let admin = try? await PGConnection.connect(superuserURL)
    _ = try? await admin?.query("DROP DATABASE IF EXISTS \(SQL.identifier(name)) WITH (FORCE)")
  }
}
