import DRCore
import DRPolicy
import DRPostgres
import Foundation

/// The database `dr restore --target` restores into, and the databases beside it. A
/// restore goes into a new side database (`dr_restore_…`), and only once it is complete
/// and counted is it swapped in: the target is renamed aside (`dr_replaced_…`) and the side
/// database renamed to the target's name in one transaction, then the old one is dropped.
/// At every instant the target's name holds either its old data or the complete new data.
struct TargetDatabase: Sendable {
  /// The target server's URL with the maintenance database (`postgres`, or `template1`
  /// when the target is `postgres` itself: a database cannot be renamed while connected).
  let maintenance: String
  let name: String

  init(url: PostgresURL, name: String) {
    self.name = name
    maintenance = PostgresURL.replacingDatabase(
      of: url.connectionString.value, with: name == "postgres" ? "template1" : "postgres")
  }

  /// What is there now.
  struct State: Sendable {
    var exists: Bool
    /// Tables, views, sequences… outside the system schemas.
    var objects: Int
    var owner: String?
    var superuser: Bool
    /// The server's `server_version` (`15.18`) and its major version.
    var serverVersion = ""
    var serverMajor = 0

    var isEmpty: Bool { objects == 0 }
  }

  func inspect() async throws -> State {
    let admin = try await PGConnection.connect(maintenance)
    let rows = try await admin.query(
      "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = \(SQL.literal(name))")
    let superuser = try await admin.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    var state = State(
      exists: !rows.isEmpty, objects: 0, owner: rows.first?.first ?? nil, superuser: superuser.first?.first == "t")
    state.serverMajor = admin.serverMajorVersion
    state.serverVersion =
      try await admin.query("SHOW server_version").first?.first.flatMap { $0 } ?? "\(admin.serverVersionNumber)"
    if state.exists {
      let url = PostgresURL.replacingDatabase(of: maintenance, with: name)
      let count = try await PGConnection.connect(url).query(Self.userObjectsQuery).first?.first.flatMap { $0 }
      state.objects = Int(count ?? "") ?? 0
    }
    return state
  }

  /// Makes the side database with the source's encoding and locale (`properties`; from
  /// template0 as it is when the manifest has none). A server that cannot (a locale it
  /// lacks) fails here, before anything else is touched. Its comment names its maker, so
  /// that a later dr drops it if this one is killed.
  func makeSide(like properties: DatabaseProperties?) async throws -> String {
    let admin = try await PGConnection.connect(maintenance)
    let side = "dr_restore_" + Self.suffix()
    do {
      _ = try await DatabaseProperties.createDatabase(
        side, like: properties, on: admin, plain: "TEMPLATE template0", fallBack: false)
    } catch let error as PostgresError {
      throw RestoreError(.target, "cannot create the database to restore into: \(error.message)")
    }
    _ = try? await admin.query("COMMENT ON DATABASE \(side) IS \(SQL.literal(ScratchReaper.restoreComment))")
    return side
  }

  /// Gives `side` to the first of `owners` that exists and that the connecting role may
  /// give it to; returns that owner (nil: it stays the connecting role's).
  func giveSide(_ side: String, owners: [String]) async throws -> String? {
    let admin = try await PGConnection.connect(maintenance)
    for candidate in owners {
      let usable = try await admin.query(
        "SELECT 1 FROM pg_roles WHERE rolname = \(SQL.literal(candidate)) "
          + "AND pg_has_role(current_user, oid, 'MEMBER')")
      if !usable.isEmpty {
        _ = try await admin.query("ALTER DATABASE \(side) OWNER TO \(SQL.identifier(candidate))")
        return candidate
      }
    }
    return nil
  }

  /// Puts `side` in the target's place, with `comment` (the source's) instead of dr's
  /// marker; returns the name the old target now has (nil when there was none). Other
  /// sessions on the target are ended first; a session that comes back in between makes
  /// PostgreSQL refuse the rename, and it is tried again.
  func swap(in side: String, comment: String?) async throws -> String? {
    let admin = try await PGConnection.connect(maintenance)
    let exists = try await !admin.query("SELECT 1 FROM pg_database WHERE datname = \(SQL.literal(name))").isEmpty
    let old = exists ? "dr_replaced_" + Self.suffix() : nil
    var statements = [
      "BEGIN", "COMMENT ON DATABASE \(side) IS \(comment.map(SQL.literal) ?? "NULL")",
    ]
    if let old {
      statements.append(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          + "WHERE datname = \(SQL.literal(name)) AND pid <> pg_backend_pid()")
      statements.append("ALTER DATABASE \(SQL.identifier(name)) RENAME TO \(old)")
    }
    statements += ["ALTER DATABASE \(side) RENAME TO \(SQL.identifier(name))", "COMMIT"]
    var attempt = 0
    while true {
      attempt += 1
      do {
        for statement in statements { _ = try await admin.query(statement) }
        return old
      } catch {
        _ = try? await admin.query("ROLLBACK")
        guard attempt < 10, "\(error)".contains("is being accessed by other users") else { throw error }
        try await Task.sleep(for: .milliseconds(200 * attempt))
      }
    }
  }

  /// Drops a database of ours (the side database after a failure, the replaced one after
  /// the swap).
  func drop(_ database: String) async throws {
    let admin = try await PGConnection.connect(maintenance)
    _ = try await admin.query("DROP DATABASE IF EXISTS \(SQL.identifier(database)) WITH (FORCE)")
  }

  static func suffix() -> String {
    String(UInt64.random(in: 0...UInt64.max), radix: 16)
  }

  static let userObjectsQuery = """
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    """
}
