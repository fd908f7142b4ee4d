import DRCore
import DRPolicy
import DRPostgres
import Foundation

/// One database a backup dumps: its name (nil: the URL's own, as the server names it) and
/// the URL that connects to it.
struct DumpTarget: Sendable {
  let name: String?
  let url: PostgresURL
}

extension BackupRunner {
  /// The databases to dump, resolved before anything is written (`BackupDatabases`).
  func databasesToDump() async throws -> [DumpTarget] {
    let url = policy.database.url
    guard let names = try await BackupDatabases.resolve(policy) else { return [DumpTarget(name: nil, url: url)] }
    return try names.map { name in
      guard let target = PostgresURL(PostgresURL.replacingDatabase(of: url.connectionString.value, with: name)) else {
        throw BackupError(.invalid, "database.url cannot name database \(name)")
      }
      return DumpTarget(name: name, url: target)
    }
  }
}

/// The databases of `database.databases` on the server: `all`, every database that allows
/// connections except the templates, the URL's first and then by name; or the names
/// listed, in their order, each of which the server must have and allow connections to.
public enum BackupDatabases {
  /// nil for the URL's database alone (no connection is made, as before the key existed);
  /// else the names. A listed database the server lacks, or that allows no connections, is
  /// a policy error (exit 2) naming each and what the server has.
  public static func resolve(_ policy: Policy) async throws -> [String]? {
    let names: [String]
    switch policy.database.databases {
    case .urlDatabase: return nil
    case .all: names = try await serverDatabases(policy).connectable
    case .named(let listed):
      let server = try await serverDatabases(policy)
      let missing = listed.filter { !server.connectable.contains($0) }
      guard missing.isEmpty else { throw refusal(missing, server: server, policy: policy) }
      names = listed
    }
    guard !names.isEmpty else {
      throw PolicyError(
        file: policy.file, keyPath: "database.databases",
        problem: "all: \(policy.database.url.hosts) has no database that allows connections besides the templates")
    }
    return names
  }

  /// The server's databases: those a backup may dump (allowing connections, not left
  /// invalid by an interrupted DROP DATABASE, with `all` not a template), the URL's own
  /// first, and every other name with why it cannot be dumped.
  private static func serverDatabases(_ policy: Policy) async throws -> (
    connectable: [String], others: [String: String]
  ) {
    let connection = try await PGConnection.connect(policy.database.url.connectionString.value)
    let rows = try await connection.query(
      "SELECT datname, datallowconn AND datconnlimit <> -2, datistemplate, datname = current_database() "
        + "FROM pg_database ORDER BY datname")
    var connectable: [String] = []
    var others: [String: String] = [:]
    for row in rows {
      guard let name = row[0] else { continue }
      if row[1] != "t" {
        others[name] = "does not allow connections"
      } else if row[2] == "t", policy.database.databases == .all {
        others[name] = "is a template"
      } else if row[3] == "t" {
        connectable.insert(name, at: 0)
      } else {
        connectable.append(name)
      }
    }
    return (connectable, others)
  }

  private static func refusal(
    _ missing: [String], server: (connectable: [String], others: [String: String]), policy: Policy
  ) -> PolicyError {
    let reasons = missing.map { name in
      "\(name.escapingControlCharacters) \(server.others[name] ?? "does not exist")"
    }
    let shown = server.connectable.prefix(20).map(\.escapingControlCharacters)
    let more = server.connectable.count > shown.count ? ", … \(server.connectable.count - shown.count) more" : ""
    return PolicyError(
      file: policy.file, keyPath: "database.databases",
      problem: "on \(policy.database.url.hosts), \(reasons.joined(separator: "; ")) "
        + "(it has: \(shown.joined(separator: ", "))\(more))")
  }
}
