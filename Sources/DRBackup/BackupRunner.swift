import DRCore
import DRPolicy
import DRPostgres
import DRS3
import DRStorage
import Foundation
import Logging

/// One backup of a policy: a consistent snapshot, globals and dump compressed in
/// parallel and streamed to the bucket, the manifest last. On any failure or cancellation,
/// and when another run takes the backup's lease over, pg_dump is stopped, uploads are
/// aborted, what was written is deleted and no manifest exists: nothing half-written is
/// listed.
public struct BackupRunner: Sendable {
  public let policy: Policy
  public let storage: Storage
  public let environment: [String: String]
  public let logger: Logger
  public let progress: BackupProgress
  /// Storages written in the same pass; one failing does not fail the backup.
  public let copyTargets: [BackupCopyTarget]

  public init(
    policy: Policy, storage: Storage, environment: [String: String], progress: BackupProgress = BackupProgress(),
    copies: [BackupCopyTarget] = [], logger: Logger = Logger(label: "dr.backup")
  ) {
    self.policy = policy
    self.storage = storage
    self.copyTargets = copies
    self.environment = environment
    self.progress = progress
    self.logger = logger
  }

  var layout: BucketLayout { BucketLayout(prefix: storage.prefix, policyName: policy.name) }

  public func run() async throws -> BackupResult {
    let started = Date()
    let id = BackupID.new(at: started)
    LogContext.backupID = id.rawValue
    // Before the lease and any upload: a required lbzip2 that is missing, or a listed
    // database the server lacks, stops it here.
    let compression = try BackupCompression(policy.backup.compression, environment: environment)
    let targets = try await databasesToDump()
    let lease = try await BackupLease.acquire(
      client: storage.client, bucket: storage.bucket, layout: layout, backup: id,
      ttl: try BackupLease.ttl(environment: environment), logger: logger)
    logger.info("backup \(id) of \(policy.database.url) to \(storage.location) started, compression \(compression)")
    let copies = BackupCopies(targets: copyTargets)
    do {
      // Another run that takes the lease over stops this one as an interrupt would.
      let manifest = try await lease.guarding { [self] in
        try await perform(id: id, started: started, targets: targets, copies: copies, compression: compression)
      }
      await lease.release()
      var result = result(manifest)
      result.copies = await copies.outcomes()
      logger.info(
        "backup \(id) complete",
        metadata: [
          "size_bytes": .stringConvertible(result.sizeBytes),
          "duration_seconds": .stringConvertible(result.durationSeconds),
          "tables": .stringConvertible(result.tables), "encrypted": .stringConvertible(result.keyID != nil),
        ])
      return result
    } catch {
      // Cleanup must run even when this task was cancelled (SIGINT/SIGTERM), so it runs
      // in a task of its own that the cancellation does not reach.
      await Task.detached { [self] in
        await removeLeftovers(of: id)
        for target in copyTargets { await Self.removeLeftovers(of: id, in: target.storage, policy: policy.name) }
        await lease.release()
      }.value
      throw error
    }
  }

  /// The globals once, then the databases (`dumpAll`), each in a snapshot of its own taken
  /// when its dump starts; the manifest last, naming them all.
  private func perform(
    id: BackupID, started: Date, targets: [DumpTarget], copies: BackupCopies, compression: BackupCompression
  ) async throws -> BackupManifest {
    let session = try await SnapshotSession.open(targets[0].url.connectionString.value)
    let setup: DumpSetup
    do {
      setup = try await prepare(id: id, session: session, copies: copies, compression: compression)
    } catch {
      await session.close()
      throw error
    }
    let dumped = try await dumpAll(targets, first: session, setup: setup, id: id, copies: copies)
    var manifest = makeManifest(id: id, started: started, setup: setup, dumped: dumped)
    try record(dumped, in: &manifest, key: setup.key)
    try await writeManifest(manifest)
    await finishCopies(manifest, copies: copies)
    return manifest
  }

  private func writeManifest(_ manifest: BackupManifest) async throws {
    let body = Array(try BucketJSON.encoder.encode(manifest))
    try await storage.client.putObject(
      bucket: storage.bucket, key: layout.manifestKey(manifest.id), body: body,
      options: storage.manifestOptions)
  }

  /// Deletes every object and multipart upload of a failed backup (best effort: prune
  /// removes what is left, and without a manifest nothing is listed anyway).
  func removeLeftovers(of id: BackupID) async {
    await Self.removeLeftovers(of: id, in: storage, policy: policy.name)
  }

  private func result(_ manifest: BackupManifest) -> BackupResult {
    BackupResult(
      id: manifest.id, outcome: "complete", durationSeconds: manifest.durationSeconds,
      sizeBytes: manifest.objects.reduce(0) { $0 + $1.size },
      uncompressedBytes: manifest.objects.reduce(0) { $0 + $1.compression.uncompressedSize },
      tables: manifest.tableCount,
      manifestKey: layout.manifestKey(manifest.id),
      location: "s3://\(storage.bucket)/\(layout.backupPrefix(manifest.id))", keyID: manifest.encryption?.keyID,
      databases: manifest.databaseNames)
  }
}

/// The database as child processes see it: the URL without its password, which goes in
/// PGPASSWORD instead.
struct DatabaseConnection: Sendable {
  let connection: String
  let password: String?
  let environment: [String: String]

  init(url: PostgresURL, environment: [String: String]) {
    (connection, password) = url.withoutPassword
    self.environment = environment
  }
}
