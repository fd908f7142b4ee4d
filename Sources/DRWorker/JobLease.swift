import DRBackup
import DRLease
import DRS3
import Foundation
import Logging

/// Shares scheduled runs between workers pointed at the same policies: a run is taken with
/// the job's `BucketLease` (created only if absent, renewed with fencing while the run
/// lasts) and ended by writing the job's last run and releasing the lease. A worker that
/// loses a run watches it: when the holder stops renewing (it died), the lease is abandoned
/// and taken over, so no run is lost. A holder whose lease was taken over meanwhile stops
/// its run (`guarding`) and leaves the lease and the last run to the new holder.
public struct JobLease: Sendable {
  /// What `claim` found.
  public enum Claim: Sendable {
    /// The run is ours: run it (`guarding`), then `finish`.
    case taken(JobLease)
    /// Another worker runs this very run, and renews its lease.
    case running(JobLeaseHolder)
    /// This run, or a later one, has ended already.
    case done(JobLastRun)
    /// Another worker still runs an earlier run: this one would overlap.
    case busy(JobLeaseHolder)
  }

  let store: JobLeaseStore
  let lease: BucketLease<JobLeaseHolder>
  let logger: Logger

  /// Tries to take the run of `fire`. An object at the lease's key that is not a lease
  /// throws `LeaseError(.unreadable)` until it is older than `ttl`, then is replaced.
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
    switch try await BucketLease.acquire(mine, at: store.lease, ttl: ttl, logger: logger) {
    case .taken(let lease): return .taken(JobLease(store: store, lease: lease, logger: logger))
    case .held(let other) where other.fire == fire: return .running(other)
    case .held(let other) where other.fire < fire: return .busy(other)
    case .held(let other):
      return .done(JobLastRun(fire: other.fire, outcome: "running", finishedAt: now, worker: other.worker))
    }
  }

  /// The run's lease as we hold it.
  public var holder: JobLeaseHolder { get async { await lease.record } }

  /// Runs `body` while the lease is ours; when another worker takes it over, `body` is
  /// cancelled and this throws `LeaseError(.lost)` naming the new holder.
  public func guarding<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await lease.guarding(body)
  }

  /// Renews the lease now, as its renewals every TTL/3 do; `LeaseError(.lost)` when
  /// another worker has it.
  public func renew() async throws {
    try await lease.renew()
  }

  /// Why the lease was lost (another worker took the run over), once it was.
  public var lostError: LeaseError? { get async { await lease.lostError } }

  /// Records the run's outcome as the job's last run, then releases the lease; neither
  /// when the lease was lost (the run is another worker's now).
  public func finish(outcome: String) async {
    guard await lease.isHeld else {
      logger.warning("the lease \(store.keys.lease) is no longer this worker's: no end recorded")
      return
    }
    let holder = await lease.record
    let last = JobLastRun(fire: holder.fire, outcome: outcome, finishedAt: Date(), worker: holder.worker)
    do {
      try await store.write(last)
    } catch {
      // Released without an end, the run would be run again by a watching worker.
      logger.warning("could not record the end of \(store.keys.lease): \(error); the lease expires by itself")
      await lease.abandon()
      return
    }
    await lease.release()
  }

  /// Releases the lease without recording an end: the run was interrupted (this worker is
  /// stopping), so a worker watching it takes it over.
  public func release() async {
    await lease.release()
  }

  /// Stops renewing and leaves the lease to expire, as a worker that dies does.
  public func abandon() async {
    await lease.abandon()
  }
}
