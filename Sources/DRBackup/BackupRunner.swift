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
    let lease = try await BackupLease.acquire(
      client: storage.client, bucket: storage.bucket, layout: layout, backup: id,
      ttl: try BackupLease.ttl(environment: environment), logger: logger)
    logger.info("backup \(id) of \(policy.database.url) to \(storage.location) started")
    let copies = BackupCopies(targets: copyTargets)
    do {
      // Another run that takes the lease over stops this one as an interrupt would.
      let manifest = try await lease.guarding { [self] in try await perform(id: id, started: started, copies: copies) }
      await lease.release()
      var result = result(manifest)
      result.copies = await copies.outcomes()
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

  private func perform(id: BackupID, started: Date, copies: BackupCopies) async throws -> BackupManifest {
    let database = DatabaseConnection(url: policy.database.url, environment: environment)
    let session = try await SnapshotSession.open(policy.database.url.connectionString.value)
    do {
      let facts = try await session.serverFacts()
      let properties = await databaseProperties(facts.database, in: session)
      let extensions = await databaseExtensions(in: session)
      let size = try await session.connection.query("SELECT pg_database_size(current_database())")
      let databaseSize = Int64(size.first?.first.flatMap { $0 } ?? "") ?? 0
      let choice = try await PGToolLocator(environment: environment).choose(
        "pg_dump", forMajor: facts.majorVersion, siblings: policy.backup.globals ? ["pg_dumpall"] : [])
      logger.debug("\(choice)")
      let tool = choice.tool
      // The key is read (and a passphrase stretched) before pg_dump starts: a missing key
      // fails the backup before anything is written.
      let key = try await KeyRing(policy: policy).sealing(backup: id, environment: environment, logger: logger)
      var objects: [BackupManifest.Object] = []
      if policy.backup.globals {
        objects.append(
          try await dumpGlobals(
            id: id, tool: tool, database: database, rolePasswords: facts.readsRolePasswords, copies: copies,
            key: key))
      }
      async let counts = policy.verify.rowCounts == .exact ? session.rowCounts() : []
      objects.insert(
        try await dumpDatabase(
          id: id, tool: tool, database: database, snapshot: session.snapshotID, size: databaseSize, copies: copies,
          key: key),
        at: 0)
      let tables = try await counts
      await session.close()
      var manifest = makeManifest(
        id: id, started: started, facts: facts, size: databaseSize, tool: tool, objects: objects,
        encryption: key?.encryption, tables: tables)
      manifest.database.extensions = extensions
      try record(properties, in: &manifest, key: key)
      try await writeManifest(manifest)
      await finishCopies(manifest, copies: copies)
      return manifest
    } catch {
      await session.close()
      throw error
    }
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
      tables: manifest.rowCounts.tables.count, manifestKey: layout.manifestKey(manifest.id),
      location: "s3://\(storage.bucket)/\(layout.backupPrefix(manifest.id))", keyID: manifest.encryption?.keyID)
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
