import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRStorage
import Foundation
import Logging

/// `dr restore --target URL`: one backup into a given server and database. The backup is
/// restored into a new database beside the target and counted; only then does it take
/// the target's place (see `TargetDatabase`). A corrupt backup, a wrong key, a full disk
/// or a signal leave the target as it was, and the side database is dropped.
public struct TargetRestore: Sendable {
  public let catalogue: Catalogue
  public let environment: [String: String]
  /// The keys that may open an encrypted backup.
  public let keys: KeyRing
  /// How far the running restore is, for a status line.
  public let progress: RestoreProgress
  public let logger: Logger

  public init(
    catalogue: Catalogue, environment: [String: String], keys: KeyRing = .none,
    progress: RestoreProgress = RestoreProgress(), logger: Logger = Logger(label: "dr.restore")
  ) {
    self.catalogue = catalogue
    self.environment = environment
    self.keys = keys
    self.progress = progress
    self.logger = logger
  }

  /// A restore with its backup chosen and opened and its target looked at, before
  /// anything is changed: what a confirmation asks about.
  public struct Prepared: Sendable {
    public let manifest: BackupManifest
    let key: BackupKey?
    public let target: PostgresURL
    let database: TargetDatabase
    /// The target database's name.
    public var databaseName: String { database.name }
    /// Why the chosen backup may not be the one wanted (unverified, newer ones unreadable).
    public let warnings: [String]
    /// The target database exists and holds user objects (how many).
    public let replacedObjects: Int?
  }

  public struct Result: Sendable, Encodable {
    public let id: String
    public let outcome: String
    public let target: String
    public let durationSeconds: Double
    public let phases: VerificationRecord.Phases
    public let warnings: [String]
    /// The target held data that this restore replaced.
    public let replaced: Bool

    enum CodingKeys: String, CodingKey {
      case id, outcome, target, durationSeconds = "duration_seconds", phases, warnings, replaced
    }
  }

  /// Chooses the backup, looks at the target (a server older than the dump is refused here,
  /// unless `allowOlderServer`), and opens the backup (a missing key fails here). Nothing is
  /// changed before this returns but the removal of side databases a dead dr left.
  /// `database` names the backup's database to restore: needed when it holds several.
  public func prepare(
    _ selection: BackupSelection, target: PostgresURL, database wanted: String? = nil, allowOlderServer: Bool = false
  ) async throws -> Prepared {
    guard let name = target.database else {
      throw RestoreError(.target, "the target URL names no database: postgresql://user@host:port/DATABASE")
    }
    let (id, warnings) = try selection.forRestore(try await catalogue.entries())
    warnings.forEach { logger.warning("\($0)") }
    let manifest = try Self.choose(wanted, of: try await catalogue.manifest(of: id))
    let database = TargetDatabase(url: target, name: name)
    let state = try await database.inspect()
    let versionWarnings = try Self.checkVersions(
      manifest, server: state, target: target, allowOlderServer: allowOlderServer)
    versionWarnings.forEach { logger.warning("\($0)") }
    let key = try await keys.unlock(manifest, logger: logger)
    if let url = PostgresURL(database.maintenance) {
      await ScratchReaper(logger: logger).reap(server: url, prefix: "dr_restore_")
    }
    return Prepared(
      manifest: manifest, key: key, target: target, database: database, warnings: warnings + versionWarnings,
      replacedObjects: state.exists && !state.isEmpty ? state.objects : nil)
  }

  /// Restores into a side database, counts its rows against the manifest, and swaps it in.
  /// A non-empty target is replaced only when `replace`.
  public func run(
    _ prepared: Prepared, mode: Restorer.Mode, replace: Bool, noOwner: Bool,
    temporaryDirectory: String = NSTemporaryDirectory()
  ) async throws -> Result {
    let started = ContinuousClock.now
    let database = prepared.database
    let state = try await database.inspect()
    if state.exists, !state.isEmpty, !replace {
      throw RestoreError(
        .target,
        "database \(database.name) is not empty (\(state.objects) objects); restore into a new database, or add "
          + "--clean to replace it (its data stays until the new copy is complete)")
    }
    let properties = try RestoredProperties.of(prepared.manifest, key: prepared.key)
    // The source's encoding and locale first: a server that lacks them stops the restore
    // before roles or anything else are touched.
    let side = try await database.makeSide(like: properties)
    logger.info("restoring \(prepared.manifest.id) into \(side), beside \(database.name)")
    do {
      var warnings = prepared.warnings
      warnings += try await restoreGlobals(prepared, superuser: state.superuser, noOwner: noOwner)
      warnings += try await own(side, prepared, previousOwner: state.owner, noOwner: noOwner)
      let timings = try await restoreAndCount(
        prepared, into: side, mode: mode, noOwner: noOwner, temporary: temporaryDirectory)
      // After the counts: the source's settings (a statement_timeout…) apply to new sessions.
      warnings += try await RestoredProperties.apply(
        properties, to: side, admin: try await PGConnection.connect(database.maintenance),
        scope: .init(owner: false, roles: !noOwner, comment: false))
      let old = try await database.swap(in: side, comment: properties?.comment)
      if let old { warnings += await dropReplaced(old, of: database) }
      return Result(
        id: prepared.manifest.id.rawValue, outcome: "restored", target: prepared.target.description,
        durationSeconds: (ContinuousClock.now - started).seconds, phases: timings.phases, warnings: warnings,
        replaced: old != nil)
    } catch {
      // The target was not touched; the side database goes, also when interrupted (the
      // cleanup runs in a task the cancellation does not reach). Once swapped in, the side
      // name no longer exists, so this drops nothing.
      await Task.detached { [logger] in
        logger.warning("dropping \(side): the restore did not complete; \(database.name) is unchanged")
        try? await database.drop(side)
      }.value
      throw error
    }
  }

  /// Gives the side database the source's owner when this server has that role and the
  /// connecting role may give it (else the replaced database's owner, else the connecting
  /// role, with a warning).
  func own(_ side: String, _ prepared: Prepared, previousOwner: String?, noOwner: Bool) async throws
    -> [String]
  {
    let wanted = noOwner ? nil : prepared.manifest.database.owner
    let owner = try await prepared.database.giveSide(side, owners: [wanted, previousOwner].compactMap { $0 })
    guard let wanted, owner != wanted else { return [] }
    return ["the database is owned by \(owner ?? "the connecting role"), not \(wanted) as in the source"]
  }

  private func restoreGlobals(_ prepared: Prepared, superuser: Bool, noOwner: Bool) async throws -> [String] {
    guard !noOwner else { return [] }
    guard superuser else {
      return prepared.manifest.globals.included
        ? ["not a superuser on the target: roles not restored (add --no-owner if they do not exist there)"] : []
    }
    let (maintenance, password) =
      PostgresURL(prepared.database.maintenance)?.withoutPassword
      ?? (prepared.database.maintenance, nil)
    return try await restorer(prepared).restoreGlobals(
      into: maintenance, password: password ?? prepared.target.withoutPassword.1)
  }

  /// pg_restore into `side`, then every table's count against the manifest.
  private func restoreAndCount(
    _ prepared: Prepared, into side: String, mode: Restorer.Mode, noOwner: Bool, temporary: String
  ) async throws -> Restorer.Timings {
    let url = PostgresURL.replacingDatabase(of: prepared.target.connectionString.value, with: side)
    let (connection, password) = PostgresURL(url)?.withoutPassword ?? (url, nil)
    let timings = try await restorer(prepared).restoreDump(
      into: connection, password: password,
      options: .init(mode: mode, noOwner: noOwner, temporaryDirectory: temporary))
    let failures = try await RestoredDatabaseChecks.compareCounts(
      prepared.manifest, in: try await PGConnection.connect(url)
    ).failures
    guard failures.isEmpty else {
      let listed = failures.prefix(3).map { "\($0.subject): \($0.detail)" }.joined(separator: "; ")
      throw RestoreError(
        .corrupt, "the restored copy does not match the backup's row counts (\(listed)); the target is unchanged")
    }
    return timings
  }

  /// pg_restore (and psql beside it) of the dump's major, or the closest newer one.
  func restorer(_ prepared: Prepared) async throws -> Restorer {
    try await restorer(prepared.manifest, key: prepared.key)
  }

  func restorer(_ manifest: BackupManifest, key: BackupKey?) async throws -> Restorer {
    let choice = try await PGToolLocator(environment: environment).choose(
      "pg_restore", forMajor: manifest.dumpMajor, siblings: ["psql"])
    logger.debug("\(choice)")
    let tool = choice.tool
    return Restorer(
      fetcher: ObjectFetcher(client: catalogue.client, bucket: catalogue.bucket, key: key),
      manifest: manifest, bindir: (tool.path as NSString).deletingLastPathComponent,
      environment: environment, progress: progress, logger: logger)
  }

  /// Drops the replaced database; a failure leaves it under its new name and says so.
  private func dropReplaced(_ old: String, of database: TargetDatabase) async -> [String] {
    logger.info("the new copy is in place; dropping \(old), the replaced data of \(database.name)")
    do {
      try await database.drop(old)
      return []
    } catch {
      return ["the replaced data of \(database.name) is kept as database \(old): it could not be dropped (\(error))"]
    }
  }
}

extension Restorer.Timings {
  var phases: VerificationRecord.Phases {
    .init(
      download: (downloaded - started).seconds, decompress: (decompressed - downloaded).seconds,
      restore: (restored - decompressed).seconds)
  }
}
