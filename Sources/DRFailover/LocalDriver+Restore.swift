import DRBackup
import DRCore
import DRPostgres
import DRRestore
import DRStorage
import Foundation
import Logging

extension LocalDriver {
  /// The restore, by `RestoreRule`: the database is probed first and never dropped. Absent,
  /// it is created; empty, the dump goes into it; holding this backup, nothing is restored;
  /// anything else, or a probe that fails, stops the step. Then roles, the dump in one
  /// transaction (a restore killed midway leaves the database empty, so running again
  /// restores into it), the row counts of the manifest, dr's marker on the database, and
  /// the app role's password (not in a backup made without superuser rights).
  func restore(_ step: PlanStep) async throws -> String {
    guard let manifest, let storage else { throw FailoverError(.noBackup, "no backup to restore") }
    let postgres = try await postgres()
    let passwords = try await stackPasswords()
    let database = manifest.database.name
    let backup = manifest.id.rawValue
    let rule = RestoreRule(database: database, backup: backup, environment: state.environment, platform: .local)
    let admin = try await postgres.connect("postgres", passwords)
    let contents = try await probe(rule, admin: admin, postgres, passwords)
    let decision = rule.decide(contents, stateRestored: state.restored)
    switch decision {
    case .refuse:
      throw rule.refusal(contents)
    case .alreadyRestored:
      // Restored by a dr older than the marker (its state file says so): marked now.
      if contents.markedBackup == nil { try await mark(admin, rule) }
      try await setAppPassword(admin, manifest.database.user, passwords)
      if state.restored != backup {
        try record {
          $0.restored = backup
          $0.restoredAt = nil
        }
      }
      return "\(backup) already restored (database \(database) holds \(contents.summary))"
    case .create, .fill: break
    }
    let key = try await keys.unlock(manifest, logger: logger)
    let properties = try RestoredProperties.of(manifest, key: key)
    try await prepare(database, decision, like: properties, admin: admin)
    try await load(manifest, key: key, from: storage, into: postgres, passwords, admin: admin, rule: rule)
    await apply(properties, to: database, admin: admin)
    // The state first: if marking fails, the rerun knows the restore from it, and marks.
    try record {
      $0.restored = backup
      $0.restoredAt = Date()
    }
    try await mark(admin, rule)
    try await setAppPassword(admin, manifest.database.user, passwords)
    return "\(backup) restored into \(database) (it was \(contents.summary)), "
      + "\(manifest.rowCounts.tables.count) tables counted"
  }

  /// Creates the database when it is absent, with the source's encoding and locale where
  /// this host has them (else its own, and says so).
  func prepare(
    _ database: String, _ decision: RestoreRule.Decision, like properties: DatabaseProperties?, admin: PGConnection
  ) async throws {
    guard case .create = decision else {
      logger.info("database \(database) exists and is empty: restoring into it")
      return
    }
    let creation = try await DatabaseProperties.createDatabase(database, like: properties, on: admin, fallBack: true)
    if let note = creation.note { logger.warning("\(note)") }
  }

  /// Roles, then the dump in one transaction, then the row counts of the manifest.
  func load(
    _ manifest: BackupManifest, key: BackupKey?, from storage: Storage, into postgres: LocalPostgres,
    _ passwords: StackPasswords, admin: PGConnection, rule: RestoreRule
  ) async throws {
    let restorer = Restorer(
      fetcher: ObjectFetcher(client: storage.client, bucket: storage.bucket, key: key), manifest: manifest,
      bindir: postgres.binaries.directory, environment: environment, logger: logger)
    let messages = try await restorer.restoreGlobals(
      into: postgres.url(database: "postgres"), password: passwords.superuser)
    for message in messages { logger.info("\(message)") }
    // The globals of a superuser's backup set postgres's password to production's.
    try await admin.setPassword(role: LocalPostgres.superuser, passwords.superuser)
    _ = try await restorer.restoreDump(
      into: postgres.url(database: rule.database), password: passwords.superuser, options: .init(mode: .stream))
    let restored = try await postgres.connect(rule.database, passwords)
    let failures = try await RestoredDatabaseChecks.compareCounts(manifest, in: restored).failures
    guard failures.isEmpty else {
      throw FailoverError(
        .step("restore"),
        "the restored database does not match the manifest: "
          + failures.map { "\($0.subject): \($0.detail)" }.joined(separator: "; ")
          + ". Database \(rule.database) is left as it is, without dr's marker: " + rule.startOver)
    }
  }

  /// The source database's owner, settings, roles' settings and privileges, on the restored
  /// one. Its comment stays dr's marker (set after), which reruns read. Not fatal: the data
  /// is restored and counted, and a rerun would find it restored.
  func apply(_ properties: DatabaseProperties?, to database: String, admin: PGConnection) async {
    do {
      let notes = try await RestoredProperties.apply(
        properties, to: database, admin: admin, scope: .init(owner: true, roles: true, comment: false))
      for note in notes { logger.warning("\(note)") }
    } catch {
      logger.warning("the database's own properties (owner, settings, privileges) were not applied: \(error)")
    }
  }

  /// What the database holds: absent when the cluster does not list it, else the probe's
  /// answer in the database itself. A query that fails or an answer dr cannot read is
  /// uncertainty: the step stops.
  func probe(_ rule: RestoreRule, admin: PGConnection, _ postgres: LocalPostgres, _ passwords: StackPasswords)
    async throws -> DatabaseContents
  {
    let rows: [[String?]]
    do {
      let listed = try await admin.query("SELECT 1 FROM pg_database WHERE datname = \(SQL.literal(rule.database))")
      guard !listed.isEmpty else { return .absent }
      rows = try await postgres.connect(rule.database, passwords).query(DatabaseContents.probeQuery)
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw rule.uncertainty("\(error)")
    }
    guard rows.count == 1, let contents = DatabaseContents(fields: rows[0]) else {
      throw rule.uncertainty("the probe answered \(rows.count) rows that dr cannot read")
    }
    return contents
  }

  /// dr's marker on the database, once its restore committed and its counts matched.
  func mark(_ admin: PGConnection, _ rule: RestoreRule) async throws {
    do {
      _ = try await admin.query(
        "COMMENT ON DATABASE \(SQL.identifier(rule.database)) IS "
          + SQL.literal(DatabaseContents.marker(rule.backup)))
    } catch {
      throw FailoverError(
        .step("restore"),
        "\(rule.backup) is restored into \(rule.database) and counted, but dr could not mark the database as its "
          + "restore (\(error)); running again marks it")
    }
  }

  /// The app's role gets its generated password (again, on a rerun: the same one). When
  /// the backup was made by `postgres`, the app shares the superuser's.
  func setAppPassword(_ admin: PGConnection, _ role: String, _ passwords: StackPasswords) async throws {
    guard role != LocalPostgres.superuser else { return }
    do {
      try await admin.setPassword(role: role, passwords.app)
    } catch {
      throw FailoverError(.step("restore"), "cannot set the password of the app's role \(role): \(error)")
    }
  }
}
