import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRStorage
import Foundation
import Logging

/// `dr restore --target URL`: one backup into a given server and database, which is
/// created when missing and must be empty unless `clean` (then it is dropped and made anew).
public struct TargetRestore: Sendable {
  public let catalogue: Catalogue
  public let environment: [String: String]
  /// The keys that may open an encrypted backup.
  public let keys: KeyRing
  public let logger: Logger

  public init(
    catalogue: Catalogue, environment: [String: String], keys: KeyRing = .none,
    logger: Logger = Logger(label: "dr.restore")
  ) {
    self.catalogue = catalogue
    self.environment = environment
    self.keys = keys
    self.logger = logger
  }

  public struct Result: Sendable, Encodable {
    public let id: String
    public let outcome: String
    public let target: String
    public let durationSeconds: Double
    public let phases: VerificationRecord.Phases
    public let warnings: [String]

    enum CodingKeys: String, CodingKey {
      case id, outcome, target, durationSeconds = "duration_seconds", phases, warnings
    }
  }

  public func run(
    _ selection: BackupSelection, target: PostgresURL, mode: Restorer.Mode, clean: Bool, noOwner: Bool,
    temporaryDirectory: String = NSTemporaryDirectory()
  ) async throws -> Result {
    let started = ContinuousClock.now
    let (id, warnings) = try selection.forRestore(try await catalogue.entries())
    warnings.forEach { logger.warning("\($0)") }
    let manifest = try await catalogue.manifest(of: id)
    let key = try await keys.unlock(manifest, logger: logger)
    guard let database = target.database else {
      throw VerifyError(.target, "the target URL names no database: postgresql://user@host:port/DATABASE")
    }
    let maintenance = ScratchTarget.replacingDatabase(of: target.connectionString.value, with: "postgres")
    let (superuser, created) = try await prepare(database: database, maintenance: maintenance, clean: clean)
    do {
      return try await restore(
        manifest, key: key, target: target, maintenance: maintenance, superuser: superuser, mode: mode,
        noOwner: noOwner, temporaryDirectory: temporaryDirectory, warnings: warnings, started: started)
    } catch {
      // A database this restore made is dropped again: a failed restore leaves nothing behind,
      // also when interrupted (the cleanup runs in a task the cancellation does not reach).
      if created {
        await Task.detached { [logger] in
          logger.warning("dropping database \(database), created for this restore")
          let admin = try? await PGConnection.connect(maintenance)
          _ = try? await admin?.query("DROP DATABASE IF EXISTS \(RestoredDatabaseChecks.quote(database)) WITH (FORCE)")
        }.value
      }
      throw error
    }
  }

  private func restore(
    _ manifest: BackupManifest, key: BackupKey?, target: PostgresURL, maintenance: String, superuser: Bool,
    mode: Restorer.Mode,
    noOwner: Bool, temporaryDirectory: String, warnings: [String], started: ContinuousClock.Instant
  ) async throws -> Result {
    var warnings = warnings
    let (connection, password) = target.withoutPassword
    let major = Int(manifest.pgDump.version.split(separator: ".").first ?? "") ?? 0
    let tool = try await PGToolLocator(environment: environment).locate("pg_restore", forServerMajor: major)
    let restorer = Restorer(
      fetcher: ObjectFetcher(client: catalogue.client, bucket: catalogue.bucket, key: key), manifest: manifest,
      bindir: (tool.path as NSString).deletingLastPathComponent, environment: environment, logger: logger)
    if superuser, !noOwner {
      let (maintenanceConnection, _) = PostgresURL(maintenance)?.withoutPassword ?? (maintenance, nil)
      warnings += try await restorer.restoreGlobals(into: maintenanceConnection, password: password)
    } else if manifest.globals.included, !noOwner {
      warnings.append("not a superuser on the target: roles not restored (add --no-owner if they do not exist there)")
    }
    let timings = try await restorer.restoreDump(
      into: connection, password: password,
      options: .init(mode: mode, noOwner: noOwner, temporaryDirectory: temporaryDirectory))
    return Result(
      id: manifest.id.rawValue, outcome: "restored", target: target.description,
      durationSeconds: (ContinuousClock.now - started).seconds,
      phases: .init(
        download: (timings.downloaded - timings.started).seconds,
        decompress: (timings.decompressed - timings.downloaded).seconds,
        restore: (timings.restored - timings.decompressed).seconds),
      warnings: warnings)
  }

  /// Creates the database when missing; refuses a non-empty one unless `clean`. Returns
  /// whether the connecting role is a superuser, and whether the database was created here.
  private func prepare(database: String, maintenance: String, clean: Bool) async throws -> (Bool, Bool) {
    let admin = try await PGConnection.connect(maintenance)
    let quoted = RestoredDatabaseChecks.quote(database)
    let literal = "'" + database.replacingOccurrences(of: "'", with: "''") + "'"
    let exists = try await admin.query("SELECT 1 FROM pg_database WHERE datname = \(literal)").count == 1
    if exists {
      let url = ScratchTarget.replacingDatabase(of: maintenance, with: database)
      let objects = try await PGConnection.connect(url).query(Self.userObjectsQuery).first?.first.flatMap { $0 } ?? "0"
      if objects != "0" {
        guard clean else {
          throw VerifyError(
            .target,
            "database \(database) is not empty (\(objects) objects); restore into a new database, or add --clean "
              + "to drop and recreate it")
        }
        logger.warning("dropping database \(database) (--clean)")
        _ = try await admin.query("DROP DATABASE \(quoted) WITH (FORCE)")
        _ = try await admin.query("CREATE DATABASE \(quoted)")
      }
    } else {
      _ = try await admin.query("CREATE DATABASE \(quoted)")
    }
    let superuser = try await admin.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return (superuser.first?.first == "t", !exists)
  }

  static let userObjectsQuery = """
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    """
}
