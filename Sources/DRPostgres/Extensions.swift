import DRCore
import Foundation

/// An extension installed in a database (`pg_extension`): what a restore of its dump needs
/// the target server to offer. Recorded in the manifest at backup time, so a dry run knows
/// them without downloading the dump.
public struct InstalledExtension: Sendable, Codable, Equatable {
  public var name: String
  public var version: String
  public var schema: String

  static let query = """
    SELECT e.extname, e.extversion, n.nspname FROM pg_catalog.pg_extension e
    JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace ORDER BY 1
    """

  /// The extensions of the connection's database.
  public static func read(on connection: PGConnection) async throws -> [InstalledExtension] {
    try await connection.query(query).map { row in
      guard row.count == 3, let name = row[0], let version = row[1], let schema = row[2] else {
        throw PostgresError(.query, "unexpected pg_extension row")
      }
      return InstalledExtension(name: name, version: version, schema: schema)
    }
  }
}

/// The extensions a server (or an installation of PostgreSQL) offers to `CREATE EXTENSION`.
public struct AvailableExtensions: Sendable, Equatable {
  public struct Offer: Sendable, Equatable {
    /// The version `CREATE EXTENSION` without `VERSION` installs (pg_restore's).
    public var defaultVersion: String
    /// Only a superuser may create it, unless it is `trusted` (then the database's owner may).
    public var superuser: Bool
    public var trusted: Bool

    public init(defaultVersion: String, superuser: Bool = true, trusted: Bool = false) {
      self.defaultVersion = defaultVersion
      self.superuser = superuser
      self.trusted = trusted
    }

    /// Whether a role that is not a superuser may create it.
    public var needsSuperuser: Bool { superuser && !trusted }
  }

  public var offers: [String: Offer]

  public init(_ offers: [String: Offer]) {
    self.offers = offers
  }

  /// `pg_available_extensions` with the superuser and trusted flags of each default version.
  public static func read(on connection: PGConnection) async throws -> AvailableExtensions {
    let rows = try await connection.query(
      """
      SELECT a.name, a.default_version, coalesce(v.superuser, true), coalesce(v.trusted, false)
      FROM pg_catalog.pg_available_extensions a
      LEFT JOIN pg_catalog.pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version
      """)
    var offers: [String: Offer] = [:]
    for row in rows {
      guard row.count == 4, let name = row[0] else { continue }
      offers[name] = Offer(defaultVersion: row[1] ?? "", superuser: row[2] != "f", trusted: row[3] == "t")
    }
    return AvailableExtensions(offers)
  }

  /// The extensions of an installation: the primary control files (`NAME.control`) in
  /// `SHAREDIR/extension`, as the server reads them.
  public static func read(shareDirectory: String) throws -> AvailableExtensions {
    let directory = shareDirectory + "/extension"
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
    var offers: [String: Offer] = [:]
    for file in names where file.hasSuffix(".control") && !file.contains("--") {
      guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { continue }
      offers[String(file.dropLast(8))] = offer(controlFile: text)
    }
    return AvailableExtensions(offers)
  }

  /// A control file's `default_version`, `superuser` and `trusted` (PostgreSQL's defaults
  /// where absent: superuser true, trusted false).
  static func offer(controlFile text: String) -> Offer {
    var values: [String: String] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let content = line.prefix { $0 != "#" }
      guard let equals = content.firstIndex(of: "=") else { continue }
      let key = content[..<equals].trimmingCharacters(in: .whitespaces)
      var value = content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 {
        value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
      }
      values[key] = value
    }
    func flag(_ key: String, default fallback: Bool) -> Bool {
      guard let value = values[key]?.lowercased() else { return fallback }
      return ["true", "on", "yes", "1"].contains(value)
    }
    return Offer(
      defaultVersion: values["default_version"] ?? "", superuser: flag("superuser", default: true),
      trusted: flag("trusted", default: false))
  }
}
