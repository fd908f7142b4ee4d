import DRCore
import DRLease
import DRPolicy
import DRS3
import Foundation
import Logging

/// `dr prune`: applies the retention rule to the catalogue, deletes what it does not
/// keep (every object of those backups and their verification records), and aborts
/// stale multipart uploads under the policy's prefix. Never the latest good backup,
/// never the backup whose lease is live, never a backup whose manifest or verification
/// could not be read (it is unknown, not incomplete), and nothing at all when such
/// unknowns could change what the rule keeps.
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

  public func run(dryRun: Bool, now: Date = Date()) async throws -> Report {
    let entries = try await catalogue.entries()
    let holder = try await lease(dryRun: dryRun)
    let running: Set<BackupID> = holder.map { $0.isAbandoned(now: now) ? [] : [$0.backup] } ?? []
    let plan = Retention.plan(
      candidates: entries.map(Self.candidate), rule: rule, now: now, incompleteGrace: incompleteGrace,
      protected: running)
    var decisions = plan.entries.map {
      Report.Decision(
        id: $0.id, action: $0.action.rawValue, reasons: $0.reasons.map(\.description), complete: $0.candidate.complete)
    }
    var unknown = plan.unknown.map { Report.Unknown(id: $0.id, reason: $0.reason) }
    let stale = try await staleUploads(now: now, running: running)
    // Known before the dry run answers, so that it does not say a locked backup would go.
    var locked: [String: Date] = [:]
    for id in plan.removed {
      switch await lock(of: id, now: now) {
      case .free: continue
      case .retained(let until): locked[id.rawValue] = until
      case .unknown(let reason):
        unknown.append(Report.Unknown(id: id, reason: reason))
        decisions = decisions.map { $0.id == id ? $0.kept(because: "unknown: \(reason)") : $0 }
      }
    }
    for item in unknown { logger.warning("keeping backup \(item.id): \(item.reason)") }
    if plan.blocked {
      logger.warning(
        "deleting nothing: \(plan.unknown.count) backup(s) could not be read, and they may change what the rule keeps")
    }
    guard !dryRun else {
      var report = Report(
        dryRun: true, decisions: decisions, abortedUploads: stale.map(\.key), deletedObjects: 0, failures: [])
      report.locked = locked
      report.unknown = unknown
      report.blocked = plan.blocked
      report.reports = await pruneReports(dryRun: true)
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
    let unsure = Set(unknown.map(\.id))
    for id in plan.removed where !unsure.contains(id) {
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
    report.unknown = unknown
    report.blocked = plan.blocked
    report.reports = await pruneReports(dryRun: false)
    return report
  }

  /// A backup as retention sees it: what could not be read of it makes it unknown.
  static func candidate(_ entry: BackupEntry) -> RetentionCandidate {
    let verified = entry.verification == "passed"
    if let reason = entry.state.unknownReason {
      return RetentionCandidate(id: entry.id, complete: false, verified: false, unknown: .manifest(reason))
    }
    if entry.complete, let reason = entry.verificationUnknownReason {
      return RetentionCandidate(id: entry.id, complete: true, verified: false, unknown: .verification(reason))
    }
    return RetentionCandidate(id: entry.id, complete: entry.complete, verified: verified)
  }

  enum Lock {
    case free
    case retained(until: Date)
    case unknown(String)
  }

  /// Whether a backup's manifest is under Object Lock retention: deleting it would only
  /// hide it behind a delete marker, so prune leaves it. A HEAD that fails leaves it too.
  private func lock(of id: BackupID, now: Date) async -> Lock {
    let key = catalogue.layout.manifestKey(id)
    do {
      guard let head = try await catalogue.client.headObject(bucket: catalogue.bucket, key: key),
        let until = head.lockRetainUntil, until > now
      else { return .free }
      return .retained(until: until)
    } catch {
      return .unknown("its Object Lock retention could not be read: \(error)")
    }
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
      // An upload whose start the server does not say may be running: left alone.
      guard let initiated = upload.initiated else { return false }
      return now.timeIntervalSince(initiated) > incompleteGrace
    }
  }

  /// Deletes a backup's objects (manifest first, so it stops counting as complete at once)
  /// and its verification records.
  private func delete(_ id: BackupID) async -> (Int, [String]) {
    let client = catalogue.client
    let layout = catalogue.layout
    var keys: [String]
    do {
      keys = try await client.listAllObjects(bucket: catalogue.bucket, prefix: layout.backupPrefix(id)).map(\.key)
      keys += try await client.listAllObjects(
        bucket: catalogue.bucket, prefix: layout.verificationsPrefix + id.rawValue + "/"
      ).map(\.key)
    } catch {
      return (0, ["\(id): its objects could not be listed, nothing deleted: \(error)"])
    }
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
