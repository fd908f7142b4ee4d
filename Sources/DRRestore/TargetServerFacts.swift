import DRCore
import DRPolicy
import DRPostgres
import Foundation

/// What a restore target's server says about itself and the connecting role, read with
/// queries alone (nothing is created, changed or locked): for `dr restore --dry-run`.
struct TargetServerFacts: Sendable {
  var serverVersion: String
  var serverMajor: Int
  var access: TargetAccess
  var available: AvailableExtensions
  /// `SHOW data_directory`; nil when the role may not read it.
  var dataDirectory: String?
  /// The address the server answered on (nil: a Unix socket).
  var serverAddress: String?
  var port: String

  /// Reads them through `maintenance` (a URL of the server's maintenance database);
  /// `database` is the target's name, `sourceOwner` the manifest's database owner.
  static func read(maintenance: String, database: String, sourceOwner: String?) async throws -> TargetServerFacts {
    let admin = try await PGConnection.connect(maintenance, applicationName: "dr restore --dry-run")
    let rows = try await admin.query(
      "SELECT current_setting('server_version'), current_user, r.rolsuper, r.rolcreatedb, "
        + "host(inet_server_addr()), current_setting('port') FROM pg_catalog.pg_roles r WHERE r.rolname = current_user")
    guard let row = rows.first, row.count == 6, let version = row[0], let user = row[1] else {
      throw PostgresError(.query, "the server did not say who the connecting role is")
    }
    let superuser = row[2] == "t"
    let access = TargetAccess(
      user: user, superuser: superuser, createDatabase: superuser || row[3] == "t", database: database,
      existing: try await existing(database, maintenance: maintenance, on: admin),
      sourceOwner: try await owner(sourceOwner, on: admin))
    return TargetServerFacts(
      serverVersion: version, serverMajor: admin.serverMajorVersion, access: access,
      available: try await AvailableExtensions.read(on: admin),
      dataDirectory: try? await admin.query("SHOW data_directory").first?.first ?? nil, serverAddress: row[4],
      port: row[5] ?? "")
  }

  /// The target database's owner, whether the role may act as it, and its user objects
  /// (nil when it cannot be connected to).
  static func existing(_ database: String, maintenance: String, on admin: PGConnection) async throws
    -> TargetAccess.Existing?
  {
    let rows = try await admin.query(
      "SELECT pg_catalog.pg_get_userbyid(datdba), pg_catalog.pg_has_role(current_user, datdba, 'MEMBER') "
        + "FROM pg_catalog.pg_database WHERE datname = \(SQL.literal(database))")
    guard let row = rows.first, row.count == 2 else { return nil }
    let url = PostgresURL.replacingDatabase(of: maintenance, with: database)
    let count =
      try? await PGConnection.connect(url, applicationName: "dr restore --dry-run")
      .query(TargetDatabase.userObjectsQuery).first?.first ?? nil
    return TargetAccess.Existing(owner: row[0] ?? "", member: row[1] == "t", objects: count.flatMap { Int($0) })
  }

  /// The source's owner on this server: missing, or whether the role is a member of it.
  static func owner(_ name: String?, on admin: PGConnection) async throws -> TargetAccess.SourceOwner {
    guard let name else { return .unknown }
    let rows = try await admin.query(
      "SELECT pg_catalog.pg_has_role(current_user, oid, 'MEMBER') FROM pg_catalog.pg_roles "
        + "WHERE rolname = \(SQL.literal(name))")
    guard let row = rows.first else { return .missing(name) }
    return row.first == "t" ? .member(name) : .notMember(name)
  }

  /// Free space in the server's data directory, when the server runs on this host (it
  /// answered on a loopback address or a Unix socket), its data directory may be read
  /// (`SHOW data_directory`: a superuser or pg_read_all_settings), and that directory's
  /// `postmaster.pid` names the port that answered (not another server's directory that
  /// happens to have the same path here). Else unknown, and why.
  func freeSpace() -> (free: Int64?, place: String, unknown: String) {
    if let address = serverAddress, !["127.0.0.1", "::1"].contains(address) {
      return (nil, "", "the server answered from \(address), not from this host")
    }
    guard let directory = dataDirectory else {
      return (
        nil, "", "the data directory is not known (SHOW data_directory needs a superuser or pg_read_all_settings)"
      )
    }
    guard let pid = try? String(contentsOfFile: "\(directory)/postmaster.pid", encoding: .utf8) else {
      return (
        nil, "", "\(directory)/postmaster.pid cannot be read here, so the directory cannot be told to be this server's"
      )
    }
    let lines = pid.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count > 3, lines[3].trimmingCharacters(in: .whitespaces) == port else {
      return (nil, "", "\(directory) here belongs to another server than the one on port \(port)")
    }
    guard let free = TargetFindings.available(at: directory) else {
      return (nil, "", "the file system of \(directory) cannot be read")
    }
    return (free, directory, "")
  }
}
