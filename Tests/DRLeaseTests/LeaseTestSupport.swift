import DRLease
import DRS3
import DRTestSupport
import Foundation
import Logging

/// A lease record as a test holder writes it.
struct TestHolder: LeaseRecord, Equatable {
  var name: String
  var host: String
  var pid: Int32
  var acquiredAt: Date
  var expiresAt: Date

  var holderID: String { name }
  var description: String { "holder \(name) on \(host)" }

  /// Now, as a lease object keeps it (milliseconds), so records compare equal once read back.
  static var wholeSeconds: Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

  /// A holder on another host (never "dead here"), live for `ttl` seconds (expired when negative).
  static func foreign(_ name: String, ttl: TimeInterval = 3_600) -> TestHolder {
    let now = wholeSeconds
    return TestHolder(
      name: name, host: "other.example", pid: 4242, acquiredAt: now, expiresAt: now.addingTimeInterval(ttl))
  }

  /// A holder of this process.
  static func mine(_ name: String, ttl: TimeInterval = 3_600) -> TestHolder {
    let now = wholeSeconds
    return TestHolder(
      name: name, host: ProcessInfo.processInfo.hostName, pid: getpid(), acquiredAt: now,
      expiresAt: now.addingTimeInterval(ttl))
  }
}

typealias TestLease = BucketLease<TestHolder>

/// The test RGW, a bucket of the test's own, and a lease object in it.
struct LeaseBucket {
  let client: S3Client
  let bucket: String
  var object: LeaseObject { LeaseObject(client: client, bucket: bucket, key: "p/summit/lock.json") }

  static func client(endpoint: String? = nil) throws -> S3Client {
    try TestS3.client(
      endpoint: endpoint, http: TestS3.quickConnect(), retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05))
  }

  /// Runs `body` with a new bucket in the test RGW, removed afterwards.
  static func with(_ body: (LeaseBucket) async throws -> Void) async throws {
    let client = try client()
    try await TestS3.withBucket(client, "lease") { bucket in try await body(LeaseBucket(client: client, bucket: bucket))
    }
  }

  /// Another holder writes the lease with a plain PUT (as an older dr's take-over would).
  func overwrite(with holder: TestHolder) async throws {
    try await client.putObject(bucket: bucket, key: object.key, body: try LeaseJSON.encode(holder))
  }

  /// The lease object's record now (nil when gone).
  func stored() async throws -> TestHolder? {
    guard let snapshot = try await object.read() else { return nil }
    return try LeaseJSON.decode(TestHolder.self, from: snapshot.bytes)
  }

  func acquire(_ holder: TestHolder, ttl: TimeInterval = 3_600, renewing: Bool = false, logger: Logger = quiet)
    async throws -> TestLease.Acquisition
  {
    try await TestLease.acquire(holder, at: object, ttl: ttl, renewing: renewing, logger: logger)
  }

  /// The lease, which the test expects to take.
  func take(_ holder: TestHolder, ttl: TimeInterval = 3_600, renewing: Bool = false, logger: Logger = quiet)
    async throws -> TestLease
  {
    guard case .taken(let lease) = try await acquire(holder, ttl: ttl, renewing: renewing, logger: logger) else {
      throw TestSupportError("\(holder) did not take the lease")
    }
    return lease
  }

  static let quiet = Logger(label: "dr.lease.test") { _ in SwiftLogNoOpLogHandler() }
}
