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

  /// The backup being verified: its manifest, key and database properties.
  struct Source: Sendable {
    let manifest: BackupManifest
    let key: BackupKey?
    let properties: DatabaseProperties?
  }

  func restoreAndCheck(
    _ source: Source, into scratch: ScratchTarget, creation: DatabaseProperties.Creation, jobs: Int
  ) async throws -> Outcome {
    let (manifest, key) = (source.manifest, source.key)
    let admin = try await PGConnection.connect(scratch.maintenanceURL)
    let version = try await admin.query("SHOW server_version").first?.first.flatMap { $0 } ?? ""
    let restorer = Restorer(
      fetcher: ObjectFetcher(client: storage.client, bucket: storage.bucket, key: key), manifest: manifest,
      bindir: try await restoreBindir(for: scratch, manifest: manifest), environment: environment,
      progress: progress, logger: logger)
    let plan = ScratchRestorePlan(manifest: manifest, scratch: scratch)
    var notes = plan.notes
    if plan.withRoles {
      let messages = try await restorer.restoreGlobals(
        into: scratch.maintenanceURL, password: nil, options: plan.globals)
      messages.forEach { logger.info("\($0)") }
      notes += messages.filter { $0.hasPrefix("tablespace ") }
    }
    // Streamed (measured faster than a file and pg_restore -j on 2 cores: docs/architecture.md);
    // in the scratch cluster (wal_level minimal) one transaction also skips the WAL for COPY.
    let options = Restorer.Options(
      mode: jobs <= 1 ? .stream : .file(jobs: jobs), noOwner: !plan.withRoles, noTablespaces: plan.mapsTablespaces)
    let timings = try await restorer.restoreDump(into: scratch.databaseURL, password: nil, options: options)
    let checkStart = ContinuousClock.now
    let restored = try await PGConnection.connect(scratch.databaseURL)
    let counts = try await RestoredDatabaseChecks.compareCounts(manifest, in: restored)
    var failures = counts.failures
    progress.enter(.checks)
    failures += await RestoredDatabaseChecks.runChecks(policy.verify.checks, in: restored)
    // Last: the source's settings (a statement_timeout…) would apply to the sessions above.
    let properties = try await RestoredProperties.verify(
      source.properties, database: scratch.databaseName, admin: admin, scope: plan.properties, creation: creation,
      rolesFromBackup: plan.withRoles)
    failures += properties.failures
    notes += properties.notes
    return Outcome(
      phases: .init(
        download: (timings.downloaded - timings.started).seconds,
        decompress: (timings.decompressed - timings.downloaded).seconds,
        restore: (timings.restored - timings.decompressed).seconds,
        checks: (ContinuousClock.now - checkStart).seconds),
      failures: failures, serverVersion: version, bytes: (timings.bytesDownloaded, timings.bytesRestored),
      notes: notes + counts.notes)
  }

  /// pg_restore and psql: the scratch cluster's own, or the closest installed ones not older
  /// than the dump.
  func restoreBindir(for scratch: ScratchTarget, manifest: BackupManifest) async throws -> String {
    if case .local(let cluster) = scratch { return cluster.binaries.directory }
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
    logger.info("verification of \(record.backup): \(record.outcome.rawValue) in \(seconds) s")
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
