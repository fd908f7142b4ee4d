import DRPolicy
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// Databases beside a fixture's on the shared server, and what a backup of several says.
enum MultiDatabase {
  /// A database owned by the fixture's password user (so its dump needs no grant), with
  /// `sql` run in it as that user.
  static func make(_ name: String, sql: String) async throws {
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE DATABASE \(SQL.identifier(name)) OWNER dr_user")
    _ = try await PGConnection.connect(try userURL(name)).query(sql)
  }

  /// The password user's URL of `name` (any name: it is percent-encoded), with its password.
  static func userURL(_ name: String) throws -> String {
    PostgresURL.replacingDatabase(of: try TestServices.userURL(), with: name)
      + "?password=\(try TestServices.userPassword())"
  }

  /// The superuser's URL of `name`, percent-encoded.
  static func superuserURL(_ name: String) throws -> String {
    PostgresURL.replacingDatabase(of: try TestServices.superuserURL(), with: name)
  }

  /// `databases: [...]` for a policy: each name in double quotes.
  static func yamlList(_ names: [String]) -> String {
    "[" + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
  }

  /// Backup `id`'s manifest as JSON.
  static func manifest(_ fixture: BackupFixture, _ id: String) async throws -> [String: Any] {
    let bytes = try await fixture.object(try fixture.manifestKey(id))
    return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
  }

  /// `schema.table: rows` of each database the manifest lists, by name.
  static func counts(in manifest: [String: Any]) -> [String: [String: Int]] {
    var result: [String: [String: Int]] = [:]
    for entry in manifest["databases"] as? [[String: Any]] ?? [] {
      let tables = (entry["row_counts"] as? [String: Any])?["tables"] as? [[String: Any]] ?? []
      var counts: [String: Int] = [:]
      for table in tables {
        counts["\(table["schema"] as? String ?? "").\(table["table"] as? String ?? "")"] = table["rows"] as? Int
      }
      result[entry["name"] as? String ?? ""] = counts
    }
    return result
  }

  /// The last parts of the keys of the manifest's objects.
  static func objectNames(in manifest: [String: Any]) -> [String] {
    (manifest["objects"] as? [[String: Any]] ?? []).compactMap {
      ($0["key"] as? String)?.split(separator: "/").last.map(String.init)
    }
  }
}
