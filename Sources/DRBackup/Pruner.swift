import DRPolicy
import DRS3
import Foundation
import Logging

/// `dr prune`: applies the retention rule to the catalogue, deletes what it does not
/// keep (every object of those backups and their verification records), and aborts
/// stale multipart uploads under the policy's prefix. Never the latest good backup,
/// never the backup whose lease is live.
public struct Pruner: Sendable {
  public let catalogue: Catalogue
  public let rule: RetentionRule?
  public let incompleteGrace: TimeInterval
  public let logger: Logger

  public init(
    catalogue: Catalogue, rule: RetentionRule?, incompleteGrace: TimeInterval = 86_400,
    logger: Logger = Logger(label: "dr.prune")
  ) {
    self.catalogue = catalogue
    self.rule = rule
    self.incompleteGrace = incompleteGrace
    self.logger = logger
  }

  public struct Report: Sendable, Encodable {
    public let dryRun: Bool
    public let decisions: [Decision]
    public let abortedUploads: [String]
    public let deletedObjects: Int
    public let failures: [String]
    /// Backups the plan removes but kept for now: under Object Lock retention, until when.
    public var locked: [String: Date] = [:]

    public struct Decision: Sendable, Encodable {
      public let id: BackupID
      public let action: String
      public let reasons: [String]
      public let complete: Bool
    }

    enum CodingKeys: String, CodingKey {
      case dryRun = "dry_run", decisions, abortedUploads = "aborted_uploads", deletedObjects = "deleted_objects"
      case failures, locked
    }
  }

  public func run(dryRun: Bool, now: Date = Date()) async throws -> Report {
    let entries = try await catalogue.entries()
    let holder = try await lease(dryRun: dryRun)
    let running: Set<BackupID> = holder.map { $0.isAbandoned(now: now) ? [] : [$0.backup] } ?? []
    let plan = Retention.plan(
      candidates: entries.map {
        RetentionCandidate(id: $0.id, complete: $0.complete, verified: $0.verification == "passed")
      },
      rule: rule, now: now, incompleteGrace: incompleteGrace, protected: running)
    let decisions = plan.entries.map {
      Report.Decision(
        id: $0.id, action: $0.action.rawValue, reasons: $0.reasons.map(\.description), complete: $0.candidate.complete)
    }
    let stale = try await staleUploads(now: now, running: running)
    // Known before the dry run answers, so that it does not say a locked backup would go.
    var locked: [String: Date] = [:]
    for id in plan.removed {
      if let until = await lockedUntil(id, now: now) { locked[id.rawValue] = until }
    }
    guard !dryRun else {
      var report = Report(
        dryRun: true, decisions: decisions, abortedUploads: stale.map(\.key), deletedObjects: 0, failures: [])
      report.locked = locked
      return report
    }
    var failures: [String] = []
    var deleted = 0
    if let holder, holder.isAbandoned(now: now) {
      // Read again and deleted only while it is that abandoned lease: a backup that took it
      // over since keeps it.
      _ = try? await BackupLease.removeAbandoned(
        client: catalogue.client, bucket: catalogue.bucket, key: catalogue.layout.lockKey, now: now, logger: logger)
    }
    for id in plan.removed {
      if let until = locked[id.rawValue] {
        logger.info("keeping backup \(id): under Object Lock retention until \(until.formatted(.iso8601))")
        continue
      }
      let (count, problems) = await delete(id)
      deleted += count
      failures += problems
    }
    for upload in stale {
      do {
        try await catalogue.client.abortMultipartUpload(
          bucket: catalogue.bucket, key: upload.key, uploadID: upload.uploadID)
      } catch {
        failures.append("upload of \(upload.key): \(error)")
      }
    }
    var report = Report(
      dryRun: false, decisions: decisions, abortedUploads: stale.map(\.key), deletedObjects: deleted, failures: failures
    )
    report.locked = locked
    return report
  }

  /// Until when a backup's manifest is under Object Lock retention, if it still is:
  /// deleting it would only hide it behind a delete marker, so prune leaves it.
  private func lockedUntil(_ id: BackupID, now: Date) async -> Date? {
    let key = catalogue.layout.manifestKey(id)
    guard let head = try? await catalogue.client.headObject(bucket: catalogue.bucket, key: key),
      let until = head.lockRetainUntil, until > now
    else { return nil }
    return until
  }

  /// The lease's holder. An unreadable lease older than a lease's lifetime is removed (it
  /// is debris); a younger one stops the prune, as it may be a running backup's.
  private func lease(dryRun: Bool) async throws -> BackupLease.Holder? {
    let (client, bucket, key) = (catalogue.client, catalogue.bucket, catalogue.layout.lockKey)
    do {
      return try await BackupLease.current(client: client, bucket: bucket, key: key)
    } catch let error as BackupError where error.code == .leaseUnreadable {
      let ttl = BackupLease.defaultTTL
      if dryRun { logger.warning("\(error.message)"); return nil }
      guard try await BackupLease.removeUnreadable(client: client, bucket: bucket, key: key, ttl: ttl, logger: logger)
      else {
        throw BackupError(.leaseUnreadable, "\(error.message); prune waits until it is \(Int(ttl / 60)) minutes old")
      }
      return nil
    }
  }

  /// Multipart uploads under the policy's prefix older than the grace period, except the
  /// running backup's.
  private func staleUploads(now: Date, running: Set<BackupID>) async throws -> [S3MultipartUpload] {
    let uploads = try await catalogue.client.listMultipartUploads(
      bucket: catalogue.bucket, prefix: catalogue.layout.root)
    return uploads.filter { upload in
      if let id = catalogue.layout.backupID(ofKey: upload.key), running.contains(id) { return false }
      return now.timeIntervalSince(upload.initiated ?? .distantPast) > incompleteGrace
    }
  }

  /// Deletes a backup's objects (manifest first, so it stops counting as complete at once)
  /// and its verification records.
  private func delete(_ id: BackupID) async -> (Int, [String]) {
    let client = catalogue.client
    let layout = catalogue.layout
    var keys = ((try? await client.listAllObjects(bucket: catalogue.bucket, prefix: layout.backupPrefix(id))) ?? [])
      .map(\.key)
    keys +=
      ((try? await client.listAllObjects(
        bucket: catalogue.bucket, prefix: layout.verificationsPrefix + id.rawValue + "/"))
      ?? []).map(\.key)
    var failures: [String] = []
    if keys.contains(layout.manifestKey(id)) {
      do {
        try await client.deleteObject(bucket: catalogue.bucket, key: layout.manifestKey(id))
      } catch {
        return (0, ["\(id): \(error)"])
      }
    }
    let rest = keys.filter { $0 != layout.manifestKey(id) }
    do {
      failures += try await client.deleteObjects(bucket: catalogue.bucket, keys: rest).map { "\($0.key): \($0.reason)" }
    } catch {
      failures.append("\(id): \(error)")
    }
    logger.info("deleted backup \(id) (\(keys.count) objects)")
    return (keys.count - failures.count, failures)
  }
}
