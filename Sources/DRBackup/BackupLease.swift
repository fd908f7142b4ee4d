import DRCore
import DRLease
import DRS3
import Foundation
import Logging

/// The lease that keeps two backups of one policy from running at once: `NAME/lock.json`,
/// a `BucketLease` (taken conditionally, renewed with fencing every TTL/3, released at the
/// end while still ours). A backup whose lease is taken over stops as if interrupted
/// (`guarding`). A lease left by a killed run is taken over once abandoned.
public struct BackupLease: Sendable {
  /// `lock.json` as written since the first version of dr (the fields are its JSON keys).
  public struct Holder: LeaseRecord, Equatable {
    public var backup: BackupID
    public var host: String
    public var pid: Int32
    public var acquiredAt: Date
    public var expiresAt: Date

    public init(backup: BackupID, host: String, pid: Int32, acquiredAt: Date, expiresAt: Date) {
      self.backup = backup
      self.host = host
      self.pid = pid
      self.acquiredAt = acquiredAt
      self.expiresAt = expiresAt
    }

    public var holderID: String { backup.rawValue }

    public var description: String { "backup \(backup) on \(host) (pid \(pid))" }
  }

  /// A lease (this one, or a worker's job lease) is abandoned when it expired, or when its
  /// holder is a process of this host that no longer exists.
  public static func isAbandoned(expiresAt: Date, host: String, pid: Int32, now: Date) -> Bool {
    LeaseAbandonment.isAbandoned(expiresAt: expiresAt, host: host, pid: pid, now: now)
  }

  /// How long a lease lives without renewal.
  public static let defaultTTL: TimeInterval = 600
  /// The bounds of `DR_BACKUP_LEASE_TTL_SECONDS`.
  public static let ttlRange: ClosedRange<TimeInterval> = 3...3_600

  /// The lease's lifetime: `DR_BACKUP_LEASE_TTL_SECONDS` when set (for tests, and storage
  /// whose requests are slow enough that 10 minutes are short), else 10 minutes.
  public static func ttl(environment: [String: String]) throws -> TimeInterval {
    guard let text = environment["DR_BACKUP_LEASE_TTL_SECONDS"] else { return defaultTTL }
    guard let seconds = TimeInterval(text), ttlRange.contains(seconds) else {
      throw BackupError(
        .invalid,
        "DR_BACKUP_LEASE_TTL_SECONDS=\(text.escapingControlCharacters): expected seconds from "
          + "\(Int(ttlRange.lowerBound)) to \(Int(ttlRange.upperBound))")
    }
    return seconds
  }

  let lease: BucketLease<Holder>

  /// Who holds the lease now (as last written by us).
  public var holder: Holder { get async { await lease.record } }

  /// Takes the lease for `backup`, or throws `.locked` naming who holds it and until when.
  public static func acquire(
    client: S3Client, bucket: String, layout: BucketLayout, backup: BackupID, ttl: TimeInterval = defaultTTL,
    logger: Logger = Logger(label: "dr.backup")
  ) async throws -> BackupLease {
    let now = Date()
    let mine = Holder(
      backup: backup, host: ProcessInfo.processInfo.hostName, pid: getpid(), acquiredAt: now,
      expiresAt: now.addingTimeInterval(ttl))
    let object = LeaseObject(client: client, bucket: bucket, key: layout.lockKey)
    do {
      switch try await BucketLease.acquire(mine, at: object, ttl: ttl, logger: logger) {
      case .taken(let lease): return BackupLease(lease: lease)
      case .held(let other): throw locked(other)
      }
    } catch let error as LeaseError {
      throw backupError(error)
    }
  }

  /// Who holds the lease at `key`, if anyone (expired or not). An object there that is not
  /// a lease throws `.leaseUnreadable`: read as "no lease", it made every backup fail as
  /// "another backup holds the lease", for ever, and hid a server that is not S3.
  public static func current(client: S3Client, bucket: String, key: String) async throws -> Holder? {
    do {
      return try await BucketLease<Holder>.current(at: LeaseObject(client: client, bucket: bucket, key: key))
    } catch let error as LeaseError {
      throw backupError(error)
    }
  }

  /// Removes an unreadable lease once it is older than `ttl` (nothing renews it, so no
  /// running backup can own it), conditionally on what was read; true when removed.
  public static func removeUnreadable(client: S3Client, bucket: String, key: String, ttl: TimeInterval, logger: Logger)
    async throws -> Bool
  {
    try await BucketLease<Holder>.remove(at: LeaseObject(client: client, bucket: bucket, key: key)) { record, read in
      guard record == nil, let written = read.lastModified, Date().timeIntervalSince(written) > ttl else {
        return false
      }
      logger.warning("removing the unreadable lease s3://\(bucket)/\(key), written at \(written.formatted(.iso8601))")
      return true
    }
  }

  /// Removes the lease if it is (still) abandoned when read now, conditionally on what was
  /// read: a backup that took it over meanwhile keeps it. True when removed.
  public static func removeAbandoned(client: S3Client, bucket: String, key: String, now: Date, logger: Logger)
    async throws -> Bool
  {
    try await BucketLease<Holder>.remove(at: LeaseObject(client: client, bucket: bucket, key: key)) { record, _ in
      guard let record, record.isAbandoned(now: now) else { return false }
      logger.info("removing the abandoned lease of backup \(record.backup) (\(record.host), pid \(record.pid))")
      return true
    }
  }

  /// Runs `body` while the lease is ours; when another run takes it over, `body` is
  /// cancelled and this throws the loss (`LeaseError`, naming the new holder).
  public func guarding<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await lease.guarding(body)
  }

  /// Deletes the lease, if it is still ours.
  public func release() async {
    await lease.release()
  }

  private static func backupError(_ error: LeaseError) -> BackupError {
    switch error.code {
    case .unreadable: BackupError(.leaseUnreadable, error.message)
    case .contended: BackupError(.locked, error.message)
    case .lost: BackupError(.locked, error.message)
    }
  }

  private static func locked(_ other: Holder) -> BackupError {
    BackupError(
      .locked,
      "another backup of this policy is running: \(other.backup) on \(other.host) (pid \(other.pid)) since "
        + "\(other.acquiredAt.formatted(.iso8601)); its lease expires at \(other.expiresAt.formatted(.iso8601)) "
        + "if it stops renewing it")
  }
}
