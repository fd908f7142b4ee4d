import DRCore
import DRPolicy
import DRPostgres
import DRRestore
import Foundation
import Logging

/// Where a verification restores: a throwaway cluster (`verify.scratch: local`, the
/// default) or uniquely named databases on `verify.scratch_url`; one database for each of
/// the backup's. Always removed.
public enum ScratchTarget: Sendable {
  case local(ScratchCluster, databases: [String])
  case server(url: PostgresURL, databases: [String])

  /// The name of the database restored into (of the first; `dr_verify_2`… for the others).
  public static let localDatabase = "dr_verify"

  /// `base`, then `base_2`, `base_3`…: one scratch database for each of the backup's.
  static func names(_ base: String, count: Int) -> [String] {
    [base] + (1..<max(1, count)).map { "\(base)_\($0 + 1)" }
  }

  /// Makes the scratch target for a dump of major `major` (`BackupManifest.dumpMajor`): a
  /// cluster of that major, or the closest newer one; a server no older. Its databases,
  /// one for each of `properties` (a backup's databases, in order), are made with their
  /// encoding and locale where the server has them (else with what it has: each `creation`
  /// says what was given up; the verify host is not the backup).
  public static func make(
    _ scratch: VerifySettings.Scratch, major: Int, backup: String, like properties: [DatabaseProperties?],
    environment: [String: String], logger: Logger
  ) async throws -> (target: ScratchTarget, creations: [DatabaseProperties.Creation]) {
    switch scratch {
    case .local:
      let binaries: ServerBinaries
      do {
        binaries = try await ServerBinaries.locate(forMajor: major, environment: environment, logger: logger)
      } catch let error as PostgresError {
        throw VerifyError(
          .scratch,
          "no PostgreSQL server \(major) or newer for a scratch cluster: \(error.message); or set verify.scratch_url "
            + "to a server where scratch databases are made")
      }
      let cluster = try await ScratchCluster.start(binaries: binaries, logger: logger)
      do {
        let admin = try await PGConnection.connect(cluster.url())
        let names = names(localDatabase, count: properties.count)
        var creations: [DatabaseProperties.Creation] = []
        for (name, like) in zip(names, properties) {
          creations.append(try await DatabaseProperties.createDatabase(name, like: like, on: admin, fallBack: true))
        }
        return (.local(cluster, databases: names), creations)
      } catch {
        await cluster.remove()
        throw error
      }
    case .server(let url):
      return try await onServer(url, major: major, backup: backup, like: properties, logger: logger)
    }
  }

  /// Scratch databases on `url`, each commented with its maker (so that a later dr can drop
  /// them if this one is killed); those made are dropped when one cannot be.
  private static func onServer(
    _ url: PostgresURL, major: Int, backup: String, like properties: [DatabaseProperties?], logger: Logger
  ) async throws -> (target: ScratchTarget, creations: [DatabaseProperties.Creation]) {
    let base =
      "dr_verify_" + backup.lowercased().filter { $0.isLetter || $0.isNumber }.suffix(24)
      + "_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    let admin = try await PGConnection.connect(url.connectionString.value)
    guard admin.serverMajorVersion >= major else {
      throw VerifyError(
        .scratch,
        "verify.scratch_url (\(url.hosts)) runs PostgreSQL \(admin.serverMajorVersion), older than the dump "
          + "(PostgreSQL \(major)), which restores into its own major or a newer one: point verify.scratch_url at a "
          + "server of \(major) or newer, or use verify.scratch: local with PostgreSQL \(major) programs installed")
    }
    var made: [String] = []
    var creations: [DatabaseProperties.Creation] = []
    do {
      for (name, like) in zip(names(base, count: properties.count), properties) {
        creations.append(try await DatabaseProperties.createDatabase(name, like: like, on: admin, fallBack: true))
        made.append(name)
        _ = try? await admin.query("COMMENT ON DATABASE \(name) IS \(SQL.literal(ScratchReaper.scratchComment))")
      }
    } catch {
      await ScratchTarget.server(url: url, databases: made).remove()
      throw error
    }
    logger.info(
      "restoring into the scratch database\(made.count == 1 ? "" : "s") \(made.joined(separator: ", ")) on \(url.hosts)"
    )
    return (.server(url: url, databases: made), creations)
  }

  public var kind: String {
    switch self {
    case .local: "local"
    case .server: "server"
    }
  }

  /// The databases restored into, one for each of the backup's, in its order.
  public var databaseNames: [String] {
    switch self {
    case .local(_, let databases), .server(_, let databases): databases
    }
  }

  /// The URL of scratch database `name`.
  public func databaseURL(_ name: String) -> String {
    switch self {
    case .local(let cluster, _): cluster.url(database: name)
    case .server(let url, _): PostgresURL.replacingDatabase(of: url.connectionString.value, with: name)
    }
  }

  /// The URL of the maintenance database (where globals go and databases are made).
  public var maintenanceURL: String {
    switch self {
    case .local(let cluster, _): cluster.url()
    case .server(let url, _): url.connectionString.value
    }
  }

  /// Whether globals (roles) can be restored: only into our own cluster (on a shared
  /// server they would be created for real, so they are restored best-effort only there).
  public var ownsRoles: Bool {
    if case .local = self { return true }
    return false
  }

  /// Removes the scratch target; safe to call twice.
  public func remove() async {
    switch self {
    case .local(let cluster, _):
      await cluster.remove()
    case .server(let url, let databases):
      let admin = try? await PGConnection.connect(url.connectionString.value)
      for database in databases {
        _ = try? await admin?.query("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
      }
    }
  }
}
