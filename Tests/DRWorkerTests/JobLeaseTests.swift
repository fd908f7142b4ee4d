import DRBackup
import DRCore
import DRLease
import DRS3
import DRTestSupport
import DRWorker
import Foundation
import Testing

/// Two workers sharing scheduled runs through the lease in the real RGW.
struct JobLeaseTests {
  static let fire = Date(timeIntervalSince1970: 1_795_000_000)

  func withBucket(_ body: (S3Client, String, JobRecordKeys) async throws -> Void) async throws {
    let client = try TestS3.client()
    let bucket = try await TestS3.bucket(client, "lease")
    let keys = JobRecordKeys(layout: BucketLayout(prefix: "p/", policyName: "summit"), job: "backup")
    do {
      try await body(client, bucket, keys)
    } catch {
      Issue.record(error)
    }
    await TestS3.remove(client, bucket)
  }

  /// A claim whose lease lives an hour unless `ttl` says otherwise. Its renewals (every TTL/3)
  /// run on the same starved pool as the test: at the start of a full run on two cores, a
  /// lease of 60 s was found expired and taken between two claims, so a run "still going"
  /// looked abandoned. The expiry tests give their own ttl.
  func claim(
    _ client: S3Client, _ bucket: String, _ keys: JobRecordKeys, _ worker: WorkerIdentity, fire: Date = fire,
    ttl: TimeInterval = 3_600
  ) async throws -> JobLease.Claim {
    try await JobLease.claim(client: client, bucket: bucket, keys: keys, fire: fire, worker: worker, ttl: ttl)
  }

  @Test func oneWorkerTakesARunTheOtherWatchesItThenFindsItDone() async throws {
    try await withBucket { client, bucket, keys in
      let first = WorkerIdentity(token: "a")
      let second = WorkerIdentity(token: "b")
      guard case .taken(let lease) = try await claim(client, bucket, keys, first) else {
        Issue.record("the first worker must take the run")
        return
      }
      guard case .running(let holder) = try await claim(client, bucket, keys, second) else {
        Issue.record("the second worker must see the run taken")
        return
      }
      #expect(holder.worker == first.description)
      #expect(holder.fire == Self.fire)
      await lease.finish(outcome: "succeeded")
      guard case .done(let last) = try await claim(client, bucket, keys, second) else {
        Issue.record("the ended run must not run again")
        return
      }
      #expect(last.outcome == "succeeded")
      #expect(last.worker == first.description)
      // The next run is free again.
      guard case .taken(let next) = try await claim(client, bucket, keys, second, fire: Self.fire + 3600) else {
        Issue.record("the next run must be free")
        return
      }
      await next.finish(outcome: "failed")
    }
  }

  @Test func aRunStillGoingMakesTheNextFireBusy() async throws {
    try await withBucket { client, bucket, keys in
      guard case .taken(let lease) = try await claim(client, bucket, keys, WorkerIdentity(token: "a")) else {
        Issue.record("not taken")
        return
      }
      let later = try await claim(client, bucket, keys, WorkerIdentity(token: "b"), fire: Self.fire + 60)
      guard case .busy(let holder) = later else {
        Issue.record("an overlapping run must be busy, got \(later)")
        return
      }
      #expect(holder.fire == Self.fire)
      await lease.finish(outcome: "succeeded")
    }
  }

  @Test func anExpiredLeaseIsTakenOverSoTheRunIsNotLost() async throws {
    try await withBucket { client, bucket, keys in
      // A worker on another host that died: its lease stopped being renewed and expired.
      let dead = WorkerIdentity(host: "gone.example", pid: 4242, token: "dead")
      guard case .taken(let deadLease) = try await claim(client, bucket, keys, dead, ttl: -1) else {
        Issue.record("not taken")
        return
      }
      await deadLease.abandon()
      let survivor = WorkerIdentity(token: "alive")
      guard case .taken(let lease) = try await claim(client, bucket, keys, survivor) else {
        Issue.record("the survivor must take the abandoned run over")
        return
      }
      await lease.finish(outcome: "succeeded")
    }
  }

  /// An object at the lease's key that is not a lease: named, not taken for a run that
  /// goes on for ever; replaced once older than a lease's lifetime.
  @Test func anUnreadableLeaseIsNamedThenReplaced() async throws {
    try await withBucket { client, bucket, keys in
      try await client.putObject(bucket: bucket, key: keys.lease, body: Array("<html>oops</html>".utf8))
      let young = await #expect(throws: LeaseError.self) {
        // A lifetime of an hour: the object is young however long this machine took to
        // get here (with 60 s, a loaded full run once found it old and replaced it).
        _ = try await claim(client, bucket, keys, WorkerIdentity(token: "a"), ttl: 3_600)
      }
      #expect(young?.code == .unreadable)
      #expect(young?.message.contains("is not a lease") == true, "\(String(describing: young))")
      try await Task.sleep(for: .seconds(2.2))  // Last-Modified has whole seconds
      guard case .taken(let lease) = try await claim(client, bucket, keys, WorkerIdentity(token: "a"), ttl: 1) else {
        Issue.record("an unreadable lease older than the lifetime should be replaced")
        return
      }
      await lease.finish(outcome: "succeeded")
    }
  }

  /// Another worker took the run over (here: wrote its lease over ours): the guarded run
  /// is cancelled, and this worker neither records an end nor deletes the other's lease.
  @Test func aRunWhoseLeaseIsTakenOverStopsAndLeavesTheLeaseAndTheEndAlone() async throws {
    try await withBucket { client, bucket, keys in
      guard case .taken(let lease) = try await claim(client, bucket, keys, WorkerIdentity(token: "a"), ttl: 3_600)
      else {
        Issue.record("not taken")
        return
      }
      var other = await lease.holder
      other.worker = "other.example:77:b"
      other.host = "other.example"
      other.expiresAt = Date() + 3_600
      let foreign = Array(try BucketJSON.encoder.encode(other))
      let renewer = Task {
        // Renews (as every TTL/3) once the other worker wrote its lease.
        for _ in 0..<600 {
          if try await client.getObjectBytes(bucket: bucket, key: keys.lease) == foreign { break }
          try await Task.sleep(for: .milliseconds(100))
        }
        try? await lease.renew()
      }
      let lost = await #expect(throws: LeaseError.self) {
        try await lease.guarding {
          try await client.putObject(bucket: bucket, key: keys.lease, body: foreign)
          // A run that ends only when cancelled (bounded: a minute, then it would return).
          for _ in 0..<600 { try await Task.sleep(for: .milliseconds(100)) }
          return 0
        }
      }
      _ = try await renewer.value
      #expect(lost?.code == .lost)
      #expect(lost?.message.contains("other.example:77:b") == true, "\(String(describing: lost))")
      #expect(await lease.lostError != nil)
      await lease.finish(outcome: "failed")
      #expect(try await client.getObjectBytes(bucket: bucket, key: keys.lease) == foreign)
      #expect(try await client.headObject(bucket: bucket, key: keys.last) == nil, "no end record")
    }
  }

  /// `NAME/worker/JOB.lease.json` as workers before fencing wrote it still reads, so a new
  /// worker sees an older one's run (and takes it over when abandoned).
  @Test func aJobLeaseOfAnOlderWorkerIsRead() async throws {
    try await withBucket { client, bucket, keys in
      let old = """
        {"acquired_at": "2026-01-01T00:00:00.000Z", "expires_at": "2099-01-01T00:00:00.000Z", "fire": "2026-11-18T00:00:00.000Z",
         "host": "old.example", "pid": 12, "worker": "old.example:12:beef"}
        """
      try await client.putObject(bucket: bucket, key: keys.lease, body: Array(old.utf8))
      let fire = Date(timeIntervalSince1970: 1_794_960_000)  // 2026-11-18T00:00:00Z
      guard case .running(let holder) = try await claim(client, bucket, keys, WorkerIdentity(token: "n"), fire: fire)
      else {
        Issue.record("the older worker's live run must be seen as running")
        return
      }
      #expect(holder.worker == "old.example:12:beef")
      #expect(holder.pid == 12)
    }
  }
}
