import DRBackup
import DRS3
import Foundation
import Logging

/// Shares scheduled runs between workers pointed at the same policies: a run is taken by
/// creating the job's lease only if absent (`If-None-Match: *`, read back for servers that
/// ignore the condition), renewed while the run lasts, and ended by writing the job's last
/// run and deleting the lease. A worker that loses a run watches it: when the holder stops
/// renewing (it died), the lease is abandoned and taken over, so no run is lost.
public actor JobLease {
  /// What `claim` found.
  public enum Claim: Sendable {
    /// The run is ours: run it, then `finish`.
    case taken(JobLease)
    /// Another worker runs this very run, and renews its lease.
    case running(JobLeaseHolder)
    /// This run, or a later one, has ended already.
    case done(JobLastRun)
    /// Another worker still runs an earlier run: this one would overlap.
    case busy(JobLeaseHolder)
  }

  let client: S3Client
  let bucket: String
  let keys: JobRecordKeys
  let ttl: TimeInterval
  let logger: Logger
  private(set) var holder: JobLeaseHolder
  private var renewal: Task<Void, Never>?

  init(client: S3Client, bucket: String, keys: JobRecordKeys, ttl: TimeInterval, holder: JobLeaseHolder, logger: Logger)
  {
    self.client = client
    self.bucket = bucket
    self.keys = keys
    self.ttl = ttl
    self.holder = holder
    self.logger = logger
  }

  /// Tries to take the run of `fire`.
  public static func claim(
    client: S3Client, bucket: String, keys: JobRecordKeys, fire: Date, worker: WorkerIdentity, ttl: TimeInterval,
    logger: Logger = Logger(label: "dr.worker")
  ) async throws -> Claim {
    let store = JobLeaseStore(client: client, bucket: bucket, keys: keys)
    if let last = try await store.last(), last.fire >= fire { return .done(last) }
    let now = Date()
    let mine = JobLeaseHolder(
      fire: fire, worker: worker.description, host: worker.host, pid: worker.pid, acquiredAt: now,
      expiresAt: now.addingTimeInterval(ttl))
    let lease = JobLease(client: client, bucket: bucket, keys: keys, ttl: ttl, holder: mine, logger: logger)
    if try await store.create(mine) { return await lease.started() }
    let current: JobLeaseHolder?
    do {
      current = try await store.holder()
    } catch let error as BackupError where error.code == .leaseUnreadable {
      // Nothing renews an object that is not a lease: once older than a lease's lifetime,
      // no worker can own it, and it is replaced, as a backup's lease is.
      guard
        try await BackupLease.removeUnreadable(
          client: client, bucket: bucket, key: keys.lease, ttl: ttl, logger: logger)
      else {
        throw BackupError(
          .leaseUnreadable, "\(error.message); it is replaced once it is \(Int(ttl)) s old (or delete it)")
      }
      return try await store.create(mine) ? await lease.started() : .running(try await store.holder() ?? mine)
    }
    guard let other = current else {
      return try await store.create(mine) ? await lease.started() : .running(mine)
    }
    if other.isAbandoned() {
      logger.warning("taking over the abandoned run of \(keys.lease) from \(other.worker) (its lease expired)")
      try await store.delete()
      if try await store.create(mine) { return await lease.started() }
      return .running(try await store.holder() ?? other)
    }
    if other.fire == fire { return .running(other) }
    if other.fire < fire { return .busy(other) }
    return .done(JobLastRun(fire: other.fire, outcome: "running", finishedAt: now, worker: other.worker))
  }

  /// Records the run's outcome as the job's last run, then deletes the lease.
  public func finish(outcome: String) async {
    renewal?.cancel()
    renewal = nil
    let store = JobLeaseStore(client: client, bucket: bucket, keys: keys)
    let last = JobLastRun(fire: holder.fire, outcome: outcome, finishedAt: Date(), worker: holder.worker)
    do {
      try await store.write(last)
      if try await store.holder()?.worker == holder.worker { try await store.delete() }
    } catch {
      logger.warning("could not end the lease \(keys.lease): \(error); it expires by itself")
    }
  }

  /// Deletes the lease without recording an end: the run was interrupted (this worker is
  /// stopping), so a worker watching it takes it over.
  public func release() async {
    renewal?.cancel()
    renewal = nil
    let store = JobLeaseStore(client: client, bucket: bucket, keys: keys)
    if (try? await store.holder())??.worker == holder.worker { try? await store.delete() }
  }

  /// Stops renewing and leaves the lease to expire, as a worker that dies does.
  public func abandon() {
    renewal?.cancel()
    renewal = nil
  }

  private func started() -> Claim {
    let interval = max(1, ttl / 3)
    renewal = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(interval))
        guard !Task.isCancelled, let self else { return }
        await self.renew()
      }
    }
    return .taken(self)
  }

  private func renew() async {
    holder.expiresAt = Date().addingTimeInterval(ttl)
    do {
      try await JobLeaseStore(client: client, bucket: bucket, keys: keys).overwrite(holder)
    } catch {
      logger.warning("could not renew the lease \(keys.lease): \(error)")
    }
  }
}
