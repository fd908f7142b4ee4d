import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRRestore
import DRS3
import DRStorage
import Foundation
import Logging

extension Verifier {
  struct Outcome {
    var phases: VerificationRecord.Phases
    var failures: [VerificationRecord.Failure]
    var serverVersion: String
    var bytes: (Int64, Int64)
    var notes: [String]
  }

  /// The backup being verified: its manifest, key, and each of its databases as if alone
  /// (`BackupManifest.selecting(database:)`) with its properties.
  struct Source: Sendable {
    struct Database: Sendable {
      let manifest: BackupManifest
      let properties: DatabaseProperties?
      var name: String { manifest.database.name }
    }

    let manifest: BackupManifest
    let key: BackupKey?
    let databases: [Database]

    /// Throws a `RestoreError` when sealed properties do not open under the right key.
    init(manifest: BackupManifest, key: BackupKey?) throws {
      self.manifest = manifest
      self.key = key
      databases = try manifest.databaseNames.compactMap { manifest.selecting(database: $0) }.map {
        Database(manifest: $0, properties: try RestoredProperties.of($0, key: key))
      }
    }

    var hasSeveral: Bool { databases.count > 1 }
  }

  /// The globals once, then every database of the backup into its own scratch database:
  /// restored, counted, its checks run and its properties compared.
  func restoreAndCheck(
    _ source: Source, into scratch: ScratchTarget, creations: [DatabaseProperties.Creation], jobs: Int
  ) async throws -> Outcome {
    let admin = try await PGConnection.connect(scratch.maintenanceURL)
    let version = try await admin.query("SHOW server_version").first?.first.flatMap { $0 } ?? ""
    let bindir = try await restoreBindir(for: scratch, manifest: source.manifest)
    let plan = ScratchRestorePlan(manifest: source.manifest, scratch: scratch)
    var outcome = Outcome(phases: .init(), failures: [], serverVersion: version, bytes: (0, 0), notes: plan.notes)
    if plan.withRoles {
      let messages = try await restorer(source.databases[0].manifest, source: source, bindir: bindir)
        .restoreGlobals(into: scratch.maintenanceURL, password: nil, options: plan.globals)
      messages.forEach { logger.info("\($0)") }
      outcome.notes += messages.filter { $0.hasPrefix("tablespace ") }
    }
    for (index, database) in source.databases.enumerated() {
      let step = DatabaseStep(
        database: database, scratchName: scratch.databaseNames[index], creation: creations[index],
        checks: checks(for: database.name, first: index == 0), label: source.hasSeveral ? database.name : nil)
      do {
        outcome.add(
          try await restoreAndCheck(
            step, source: source, scratch: scratch, plan: plan, admin: admin, bindir: bindir, jobs: jobs))
      } catch let error as RestoreError where step.label != nil {
        throw RestoreError(error.code, "database \(database.name): \(error.message)")
      }
    }
    outcome.failures += checksOutside(source)
    return outcome
  }

  /// One database of the backup in its scratch database, and what of the policy's checks
  /// run there.
  struct DatabaseStep {
    let database: Source.Database
    let scratchName: String
    let creation: DatabaseProperties.Creation
    let checks: [VerifySettings.Check]
    /// Its name, to tell its failures and notes apart in a backup of several; nil alone.
    let label: String?
  }

  private func restoreAndCheck(
    _ step: DatabaseStep, source: Source, scratch: ScratchTarget, plan: ScratchRestorePlan, admin: PGConnection,
    bindir: String, jobs: Int
  ) async throws -> Outcome {
    // Streamed (measured faster than a file and pg_restore -j on 2 cores: docs/architecture.md);
    // in the scratch cluster (wal_level minimal) one transaction also skips the WAL for COPY.
    let options = Restorer.Options(
      mode: jobs <= 1 ? .stream : .file(jobs: jobs), noOwner: !plan.withRoles, noTablespaces: plan.mapsTablespaces)
    let url = scratch.databaseURL(step.scratchName)
    let timings = try await restorer(step.database.manifest, source: source, bindir: bindir)
      .restoreDump(into: url, password: nil, options: options)
    let checkStart = ContinuousClock.now
    let restored = try await PGConnection.connect(url)
    let counts = try await RestoredDatabaseChecks.compareCounts(step.database.manifest, in: restored)
    var failures = counts.failures
    progress.enter(.checks)
    failures += await RestoredDatabaseChecks.runChecks(step.checks, in: restored)
    // Last: the source's settings (a statement_timeout…) would apply to the sessions above.
    let properties = try await RestoredProperties.verify(
      step.database.properties, database: step.scratchName, admin: admin, scope: plan.properties,
      creation: step.creation, rolesFromBackup: plan.withRoles)
    failures += properties.failures
    let notes = properties.notes + counts.notes
    return Outcome(
      phases: .init(
        download: (timings.downloaded - timings.started).seconds,
        decompress: (timings.decompressed - timings.downloaded).seconds,
        restore: (timings.restored - timings.decompressed).seconds,
        checks: (ContinuousClock.now - checkStart).seconds),
      failures: failures.map { failure in
        var failure = failure
        failure.database = step.label
        return failure
      },
      serverVersion: "", bytes: (timings.bytesDownloaded, timings.bytesRestored),
      notes: notes.map { note in step.label.map { "database \($0): \(note)" } ?? note })
  }

  /// The policy's checks that run in database `name`: those naming it, and those naming
  /// none in the first.
  func checks(for name: String, first: Bool) -> [VerifySettings.Check] {
    policy.verify.checks.filter { check in check.database.map { $0 == name } ?? first }
  }

  /// A check naming a database the backup does not hold fails: what it asserts cannot hold.
  func checksOutside(_ source: Source) -> [VerificationRecord.Failure] {
    let names = source.databases.map(\.name)
    return policy.verify.checks.compactMap { check in
      guard let database = check.database, !names.contains(database) else { return nil }
      return VerificationRecord.Failure(
        kind: "check", subject: check.name,
        detail: "database \(database) is not in this backup (it holds \(names.joined(separator: ", ")))")
    }
  }

  private func restorer(_ manifest: BackupManifest, source: Source, bindir: String) -> Restorer {
    Restorer(
      fetcher: ObjectFetcher(client: storage.client, bucket: storage.bucket, key: source.key), manifest: manifest,
      bindir: bindir, environment: environment, progress: progress, logger: logger)
  }

  /// pg_restore and psql: the scratch cluster's own, or the closest installed ones not older
  /// than the dump.
  func restoreBindir(for scratch: ScratchTarget, manifest: BackupManifest) async throws -> String {
    if case .local(let cluster, _) = scratch { return cluster.binaries.directory }
    let choice = try await PGToolLocator(environment: environment).choose(
      "pg_restore", forMajor: manifest.dumpMajor, siblings: ["psql"])
    logger.debug("\(choice)")
    return choice.tool.directory
  }

  /// Writes the record to the bucket under the policy's name.
  func record(_ record: VerificationRecord) async throws -> VerificationRecord {
    var record = record
    record.policy = policy.name
    let key = catalogue.layout.verificationsPrefix + record.backup.rawValue + "/" + record.fileName()
    try await storage.client.putObject(
      bucket: storage.bucket, key: key, body: Array(try BucketJSON.encoder.encode(record)),
      options: S3PutOptions(contentType: "application/json"))
    let seconds = String(format: "%.1f", record.durationSeconds)
    logger.info(
      "verification of \(record.backup): \(record.outcome.rawValue) in \(seconds) s",
      metadata: [
        "outcome": .string(record.outcome.rawValue), "duration_seconds": .stringConvertible(record.durationSeconds),
        "failures": .stringConvertible(record.failures.count),
      ])
    return record
  }
}

/// How a backup goes into a scratch target: roles only into a cluster of dr's own and only
/// when the backup has them, tablespaces mapped to the default one there.
struct ScratchRestorePlan {
  let manifest: BackupManifest
  let scratch: ScratchTarget

  /// Roles restored first, then the dump with its owners and grants.
  var withRoles: Bool { scratch.ownsRoles && manifest.globals.included }
  /// A scratch cluster has no directories for the source's tablespaces.
  var mapsTablespaces: Bool { scratch.ownsRoles }
  var globals: Restorer.GlobalsOptions { .init(skipTablespaces: mapsTablespaces) }
  /// The database's own properties: those naming roles only with the backup's roles, the
  /// comment only in a cluster of dr's own (on a shared server it names the scratch
  /// database's maker, for `ScratchReaper`).
  var properties: DatabaseProperties.ApplyScope {
    .init(owner: withRoles, roles: withRoles, comment: scratch.ownsRoles)
  }

  var notes: [String] {
    var notes: [String] = []
    if scratch.ownsRoles, !manifest.globals.included {
      notes.append("the backup has no roles (backup.globals: false): restored without owners and privileges")
    }
    if !scratch.ownsRoles {
      notes.append("restored without owners and privileges into a shared server")
      if manifest.database.properties != nil || manifest.database.sealedProperties != nil {
        notes.append("the database's comment is not compared: on a shared server it names the scratch database's maker")
      }
    }
    return notes
  }
}

extension Verifier.Outcome {
  /// Adds one database's outcome to the backup's.
  mutating func add(_ other: Verifier.Outcome) {
    phases.download += other.phases.download
    phases.decompress += other.phases.decompress
    phases.restore += other.phases.restore
    phases.checks += other.phases.checks
    failures += other.failures
    bytes = (bytes.0 + other.bytes.0, bytes.1 + other.bytes.1)
    notes += other.notes
  }
}
