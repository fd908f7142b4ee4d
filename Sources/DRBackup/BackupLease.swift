import DRCore
import DRS3
import Foundation
import Logging

/// The lease that keeps two backups of one policy from running at once: `lock.json` in
/// the bucket, created only if absent (`If-None-Match: *`), read back to confirm (for
/// servers that ignore the condition), renewed while the backup runs, deleted at the
/// end. A lease left by a killed run expires after `ttl` and is then taken over.
public actor BackupLease {
  public struct Holder: Sendable, Codable, Equatable {
    public var backup: BackupID
    public var host: String
    public var pid: Int32
    public var acquiredAt: Date
    public var expiresAt: Date

    /// Expired, or held by a process of this host that no longer exists (a run that died
    /// without releasing it: its lease need not block the next one for the whole TTL).
    public func isAbandoned(now: Date = Date()) -> Bool {
      BackupLease.isAbandoned(expiresAt: expiresAt, host: host, pid: pid, now: now)
    }
  }

  /// A lease (this one, or a worker's job lease) is abandoned when it expired, or when its
  /// holder is a process of this host that no longer exists.
  public static func isAbandoned(expiresAt: Date, host: String, pid: Int32, now: Date) -> Bool {
    if expiresAt < now { return true }
    guard host == ProcessInfo.processInfo.hostName, pid > 0 else { return false }
    return kill(pid, 0) != 0 && errno == ESRCH
  }

  let client: S3Client
  let bucket: String
  let key: String
  let ttl: TimeInterval
  let logger: Logger
  private(set) var holder: Holder
  private var renewal: Task<Void, Never>?

  private init(client: S3Client, bucket: String, key: String, ttl: TimeInterval, holder: Holder, logger: Logger) {
    self.client = client
    self.bucket = bucket
    self.key = key
    self.ttl = ttl
    self.holder = holder
    self.logger = logger
  }

  /// Takes the lease for `backup`, or throws `.locked` naming who holds it and until when.
  /// How long a lease lives without renewal.
  public static let defaultTTL: TimeInterval = 600

  public static func acquire(
    client: S3Client, bucket: String, layout: BucketLayout, backup: BackupID, ttl: TimeInterval = defaultTTL,
    logger: Logger = Logger(label: "dr.backup")
  ) async throws -> BackupLease {
    let now = Date()
    let holder = Holder(
      backup: backup, host: ProcessInfo.processInfo.hostName, pid: getpid(), acquiredAt: now,
      expiresAt: now.addingTimeInterval(ttl))
    let lease = BackupLease(
      client: client, bucket: bucket, key: layout.lockKey, ttl: ttl, holder: holder, logger: logger)
    try await lease.take()
    await lease.startRenewing()
    return lease
  }

  /// Who holds the lease at `key`, if anyone (expired or not). An object there that is not
  /// a lease throws `.leaseUnreadable`: read as "no lease", it made every backup fail as
  /// "another backup holds the lease", for ever, and hid a server that is not S3.
  public static func current(client: S3Client, bucket: String, key: String) async throws -> Holder? {
    try await read(Holder.self, client: client, bucket: bucket, key: key)
  }

  /// A lease object of any kind (this one's, a worker's job lease) at `key`, if there is
  /// one; `.leaseUnreadable` when the object there is not one.
  public static func read<Lease: Decodable>(_ type: Lease.Type, client: S3Client, bucket: String, key: String)
    async throws -> Lease?
  {
    let bytes: [UInt8]
    do {
      bytes = try await client.getObjectBytes(bucket: bucket, key: key)
    } catch let error as S3Error where error.status == 404 {
      return nil
    }
    do {
      return try BucketJSON.decoder.decode(Lease.self, from: Data(bytes))
    } catch {
      let text = String(decoding: bytes.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        .escapingControlCharacters
      throw BackupError(.leaseUnreadable, "the lease s3://\(bucket)/\(key) is not a lease: \"\(text)\"")
    }
  }

  /// Removes an unreadable lease once it is older than `ttl` (nothing renews it, so no
  /// running backup can own it); true when it was removed.
  public static func removeUnreadable(client: S3Client, bucket: String, key: String, ttl: TimeInterval, logger: Logger)
    async throws -> Bool
  {
    guard let head = try await client.headObject(bucket: bucket, key: key),
      let written = head.lastModified, Date().timeIntervalSince(written) > ttl
    else { return false }
    logger.warning("removing the unreadable lease s3://\(bucket)/\(key), written at \(written.formatted(.iso8601))")
    try await client.deleteObject(bucket: bucket, key: key)
    return true
  }

  /// Deletes the lease, if it is still ours.
  public func release() async {
    renewal?.cancel()
    renewal = nil
    guard (try? await Self.current(client: client, bucket: bucket, key: key))??.backup == holder.backup else { return }
    try? await client.deleteObject(bucket: bucket, key: key)
  }

  private func take() async throws {
    if try await create() { return }
    let current: Holder?
    do {
      current = try await Self.current(client: client, bucket: bucket, key: key)
    } catch let error as BackupError where error.code == .leaseUnreadable {
      guard try await Self.removeUnreadable(client: client, bucket: bucket, key: key, ttl: ttl, logger: logger),
        try await create()
      else {
        throw BackupError(
          .leaseUnreadable, "\(error.message); it is replaced once it is \(Int(ttl / 60)) minutes old (or delete it)")
      }
      return
    }
    guard let other = current else {
      if try await create() { return }
      throw locked(nil)
    }
    guard other.isAbandoned() else { throw locked(other) }
    logger.warning(
      "taking over the abandoned lease of backup \(other.backup) (\(other.host), pid \(other.pid), expiring \(other.expiresAt))"
    )
    try await client.deleteObject(bucket: bucket, key: key)
    guard try await create() else { throw locked(try await Self.current(client: client, bucket: bucket, key: key)) }
  }

  /// Creates the lease if absent; true when it is ours afterwards.
  private func create() async throws -> Bool {
    do {
      try await client.putObject(
        bucket: bucket, key: key, body: try encoded(),
        options: S3PutOptions(contentType: "application/json", ifNoneMatch: true))
    } catch let error as S3Error where error.status == 412 {
      return false
    }
    return try await Self.current(client: client, bucket: bucket, key: key)?.backup == holder.backup
  }

  private func startRenewing() {
    let interval = ttl / 3
    renewal = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(interval))
        guard !Task.isCancelled, let self else { return }
        await self.renew()
      }
    }
  }

  private func renew() async {
    holder.expiresAt = Date().addingTimeInterval(ttl)
    do {
      try await client.putObject(
        bucket: bucket, key: key, body: try encoded(), options: S3PutOptions(contentType: "application/json"))
    } catch {
      logger.warning("could not renew the backup lease: \(error)")
    }
  }

  private func encoded() throws -> [UInt8] { Array(try BucketJSON.encoder.encode(holder)) }

  private func locked(_ other: Holder?) -> BackupError {
    guard let other else { return BackupError(.locked, "another backup of this policy holds the lease \(key)") }
    return BackupError(
      .locked,
      "another backup of this policy is running: \(other.backup) on \(other.host) (pid \(other.pid)) since "
        + "\(other.acquiredAt.formatted(.iso8601)); its lease expires at \(other.expiresAt.formatted(.iso8601)) "
        + "if it stops renewing it")
  }
}
