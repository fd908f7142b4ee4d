import DRCore
import DRPolicy
import DRPostgres
import DRRestore
import Foundation
import Logging

/// Where a verification restores: a throwaway cluster (`verify.scratch: local`, the
/// default) or a uniquely named database on `verify.scratch_url`. Always removed.
public enum ScratchTarget: Sendable {
  case local(ScratchCluster)
  case server(url: PostgresURL, database: String)

  /// The name of the database restored into.
  public static let localDatabase = "dr_verify"

  /// Makes the scratch target for a dump of major `major` (`BackupManifest.dumpMajor`): a
  /// cluster of that major, or the closest newer one; a server no older. Its database is
  /// made with the encoding and locale of `properties` where the server has them (else with
  /// what it has: `creation` says what was given up; the verify host is not the backup).
  public static func make(
    _ scratch: VerifySettings.Scratch, major: Int, backup: String, like properties: DatabaseProperties?,
    environment: [String: String], logger: Logger
  ) async throws -> (target: ScratchTarget, creation: DatabaseProperties.Creation) {
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
        let creation = try await DatabaseProperties.createDatabase(
          localDatabase, like: properties, on: admin, fallBack: true)
        return (.local(cluster), creation)
      } catch {
        await cluster.remove()
        throw error
      }
    case .server(let url):
      let name =
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
      let creation = try await DatabaseProperties.createDatabase(name, like: properties, on: admin, fallBack: true)
      // Names its maker, so that a later dr can drop it if this one is killed.
      _ = try? await admin.query("COMMENT ON DATABASE \(name) IS \(SQL.literal(ScratchReaper.scratchComment))")
      logger.info("restoring into the scratch database \(name) on \(url.hosts)")
      return (.server(url: url, database: name), creation)
    }
  }

  public var kind: String {
    switch self {
    case .local: "local"
    case .server: "server"
    }
  }

  /// The name of the database the dump is restored into.
  public var databaseName: String {
    switch self {
    case .local: Self.localDatabase
    case .server(_, let database): database
    }
  }

  /// The URL of the database the dump is restored into.
  public var databaseURL: String {
    switch self {
    case .local(let cluster): cluster.url(database: Self.localDatabase)
    case .server(let url, let database): PostgresURL.replacingDatabase(of: url.connectionString.value, with: database)
    }
  }

  /// The URL of the maintenance database (where globals go and databases are made).
  public var maintenanceURL: String {
    switch self {
    case .local(let cluster): cluster.url()
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
    case .local(let cluster):
      await cluster.remove()
    case .server(let url, let database):
      let admin = try? await PGConnection.connect(url.connectionString.value)
      _ = try? await admin?.query("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
    }
  }
}
