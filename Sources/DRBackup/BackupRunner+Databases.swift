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
  /// The databases of `database.databases`, resolved before anything is written: the URL's
  /// database alone (no extra connection, as before the key existed); `all`, every database
  /// that allows connections except the templates, the URL's first and then by name; or
  /// the names listed, in their order, each of which the server must have and allow
  /// connections to (else a policy error, exit 2, before the lease or any upload).
  func databasesToDump() async throws -> [DumpTarget] {
    let settings = policy.database
    let names: [String]
    switch settings.databases {
    case .urlDatabase: return [DumpTarget(name: nil, url: settings.url)]
    case .all: names = try await serverDatabases().connectable
    case .named(let listed):
      let server = try await serverDatabases()
      let missing = listed.filter { !server.connectable.contains($0) }
      guard missing.isEmpty else { throw refusal(missing, server: server) }
      names = listed
    }
    guard !names.isEmpty else {
      throw PolicyError(
        file: policy.file, keyPath: "database.databases",
        problem: "all: \(settings.url.hosts) has no database that allows connections besides the templates")
    }
    return try names.map { name in
      guard let url = PostgresURL(PostgresURL.replacingDatabase(of: settings.url.connectionString.value, with: name))
      else { throw BackupError(.invalid, "database.url cannot name database \(name)") }
      return DumpTarget(name: name, url: url)
    }
  }

  /// The server's databases: those a backup may dump (allowing connections, not a
  /// template, not left invalid by an interrupted DROP DATABASE), the URL's own first, and
  /// every other name with why it cannot be dumped.
  private func serverDatabases() async throws -> (connectable: [String], others: [String: String]) {
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

  private func refusal(_ missing: [String], server: (connectable: [String], others: [String: String])) -> PolicyError {
    let reasons = missing.map { name in
      "\(name.escapingControlCharacters) \(server.others[name] ?? "does not exist")"
    }
    let present = server.connectable.map(\.escapingControlCharacters).joined(separator: ", ")
    return PolicyError(
      file: policy.file, keyPath: "database.databases",
      problem: "on \(policy.database.url.hosts), \(reasons.joined(separator: "; ")) (it has: \(present)); "
        + "nothing was backed up")
  }
}
