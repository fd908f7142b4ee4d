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
  }

  func restoreAndCheck(
    _ manifest: BackupManifest, key: BackupKey?, into scratch: ScratchTarget, jobs: Int, clock: ContinuousClock.Instant
  )
    async throws -> Outcome
  {
    let admin = try await PGConnection.connect(scratch.maintenanceURL)
    if case .local = scratch { _ = try await admin.query("CREATE DATABASE dr_verify") }
    let version = try await admin.query("SHOW server_version").first?.first.flatMap { $0 } ?? ""
    let bindir = try await restoreBindir(for: scratch, manifest: manifest)
    let restorer = Restorer(
      fetcher: ObjectFetcher(client: storage.client, bucket: storage.bucket, key: key), manifest: manifest,
      bindir: bindir,
      environment: environment, logger: logger)
    if scratch.ownsRoles {
      for message in try await restorer.restoreGlobals(into: scratch.maintenanceURL, password: nil) {
        logger.info("\(message)")
      }
    }
    // Streamed (measured faster than a file and pg_restore -j on 2 cores: docs/architecture.md);
    // in the scratch cluster (wal_level minimal) one transaction also skips the WAL for COPY.
    let options = Restorer.Options(mode: jobs <= 1 ? .stream : .file(jobs: jobs), noOwner: !scratch.ownsRoles)
    let timings = try await restorer.restoreDump(into: scratch.databaseURL, password: nil, options: options)
    let checkStart = ContinuousClock.now
    let restored = try await PGConnection.connect(scratch.databaseURL)
    var failures = try await RestoredDatabaseChecks.compareCounts(manifest, in: restored)
    failures += await RestoredDatabaseChecks.runChecks(policy.verify.checks, in: restored)
    let phases = VerificationRecord.Phases(
      download: (timings.downloaded - timings.started).seconds,
      decompress: (timings.decompressed - timings.downloaded).seconds,
      restore: (timings.restored - timings.decompressed).seconds,
      checks: (ContinuousClock.now - checkStart).seconds)
    return Outcome(
      phases: phases, failures: failures, serverVersion: version,
      bytes: (timings.bytesDownloaded, timings.bytesRestored))
  }

  /// pg_restore and psql: the scratch cluster's own, or the closest installed ones not older
  /// than the dump's pg_dump.
  func restoreBindir(for scratch: ScratchTarget, manifest: BackupManifest) async throws -> String {
    if case .local(let cluster) = scratch { return cluster.binaries.directory }
    let major =
      Int(manifest.pgDump.version.split(separator: ".").first ?? "") ?? manifest.database.serverVersionNum / 10_000
    let tool = try await PGToolLocator(environment: environment).locate("pg_restore", forServerMajor: major)
    return (tool.path as NSString).deletingLastPathComponent
  }

  func record(
    _ id: BackupID, started: Date, outcome: VerificationRecord.Outcome, phases: VerificationRecord.Phases,
    failures: [VerificationRecord.Failure], scratch: String, into: String, counts: Int, checks: Int,
    bytes: (Int64, Int64)
  ) async throws -> VerificationRecord {
    let record = VerificationRecord(
      formatVersion: VerificationRecord.currentFormat, backup: id, policy: policy.name, startedAt: started,
      finishedAt: Date(), outcome: outcome, phases: phases, failures: failures, scratch: scratch, restoredInto: into,
      tablesCompared: counts, checksRun: checks, downloadedBytes: bytes.0, restoredBytes: bytes.1,
      toolVersion: DRVersion.current)
    let key = catalogue.layout.verificationsPrefix + id.rawValue + "/" + record.fileName
    try await storage.client.putObject(
      bucket: storage.bucket, key: key, body: Array(try BucketJSON.encoder.encode(record)),
      options: S3PutOptions(contentType: "application/json"))
    logger.info("verification of \(id): \(outcome.rawValue) in \(String(format: "%.1f", record.durationSeconds)) s")
    return record
  }
}
