import DRLease
import DRS3
import DRTestSupport
import Foundation
import Synchronization
import Testing

/// `BucketLease` against the real Ceph RGW: fenced renewals, loss, take-over, release.
struct BucketLeaseTests {
  @Test func renewalsChangeTheETagAndKeepSucceedingWithTheBareForm() async throws {
    try await LeaseBucket.with { bucket in
      let lease = try await bucket.take(.mine("a"))
      var etags = [await lease.etag]
      for _ in 0..<3 {
        try await Task.sleep(for: .milliseconds(5))  // Expiry times have milliseconds.
        try await lease.renew()
        etags.append(await lease.etag)
      }
      #expect(Set(etags).count == 4, "every renewal writes a new object: \(etags)")
      #expect(etags.allSatisfy { !$0.isEmpty && !$0.contains("\"") })
      // RGW 16 matches If-Match against the bare ETag only: the lease learnt that form.
      #expect(await lease.fencing == .ifMatch(.bare))
      let stored = try #require(try await bucket.object.read())
      #expect(stored.etag == etags.last)
      #expect(try await bucket.stored()?.expiresAt == (await lease.record).expiresAt)
      #expect(await lease.release())
      #expect(try await bucket.object.read() == nil)
    }
  }

  @Test func aLeaseOverwrittenByAnotherHolderIsLostAndNeverReasserted() async throws {
    try await LeaseBucket.with { bucket in
      let lease = try await bucket.take(.mine("a"))
      try await lease.renew()
      let other = TestHolder.foreign("b")
      try await bucket.overwrite(with: other)
      let lost = await #expect(throws: LeaseError.self) { try await lease.renew() }
      #expect(lost?.code == .lost)
      #expect(lost?.holder == other.description, "\(String(describing: lost))")
      #expect(lost?.message.contains("another run took the lease") == true, "\(String(describing: lost))")
      #expect(await !lease.isHeld)
      // Renewing again throws the same loss and writes nothing; releasing deletes nothing.
      await #expect(throws: LeaseError.self) { try await lease.renew() }
      #expect(await !lease.release())
      #expect(try await bucket.stored() == other)
    }
  }

  @Test func aDeletedLeaseIsLostAndNotRecreated() async throws {
    try await LeaseBucket.with { bucket in
      let lease = try await bucket.take(.mine("a"))
      try await bucket.client.deleteObject(bucket: bucket.bucket, key: bucket.object.key)
      let lost = await #expect(throws: LeaseError.self) { try await lease.renew() }
      #expect(lost?.code == .lost)
      #expect(lost?.message.contains("was deleted") == true)
      #expect(try await bucket.object.read() == nil)
    }
  }

  /// A renewal that finds the lease taken over cancels the guarded work, and `guarding`
  /// throws the loss once the work has ended.
  @Test func guardingCancelsTheWorkWhenTheLeaseIsTakenOver() async throws {
    try await LeaseBucket.with { bucket in
      let lease = try await bucket.take(.mine("a"))
      let other = TestHolder.foreign("b")
      let cancelled = Atomic<Bool>(false)
      let renewer = Task {
        // Renews (as the loop would) once the other holder wrote its lease.
        for _ in 0..<600 {
          if try await bucket.stored() == other { break }
          try await Task.sleep(for: .milliseconds(100))
        }
        try? await lease.renew()
      }
      let lost = await #expect(throws: LeaseError.self) {
        try await lease.guarding {
          try await bucket.overwrite(with: other)
          // Work that only ends when cancelled (bounded: a minute, then it would return).
          do {
            for _ in 0..<600 { try await Task.sleep(for: .milliseconds(100)) }
          } catch {
            cancelled.store(true, ordering: .relaxed)
            throw error
          }
          return "finished"
        }
      }
      _ = try await renewer.value
      #expect(lost?.code == .lost)
      #expect(lost?.holder == other.description)
      let wasCancelled = cancelled.load(ordering: .relaxed)
      #expect(wasCancelled, "the work was cancelled, not run to its end")
      #expect(try await bucket.stored() == other)
    }
  }

  /// The lease's own renewals (every TTL/3) find the loss without being asked.
  @Test func theRenewalLoopFindsTheLossByItself() async throws {
    try await LeaseBucket.with { bucket in
      // Renewed every 10 s. A lifetime of seconds could be lost by expiry first when a
      // busy test run leaves this process no CPU for a while.
      let lease = try await bucket.take(.mine("a"), ttl: 30, renewing: true)
      let other = TestHolder.foreign("b")
      try await bucket.overwrite(with: other)
      for _ in 0..<600 where await lease.isHeld { try await Task.sleep(for: .milliseconds(100)) }
      let lost = await lease.lostError
      #expect(lost?.holder == other.description, "\(String(describing: lost))")
      #expect(try await bucket.stored() == other)
    }
  }

  @Test func twoTakersOfAnAbandonedLeaseOneWins() async throws {
    try await LeaseBucket.with { bucket in
      for round in 0..<4 {
        try await bucket.overwrite(with: .foreign("dead-\(round)", ttl: -60))
        async let first = bucket.acquire(.mine("first-\(round)"))
        async let second = bucket.acquire(.mine("second-\(round)"))
        let outcomes = try await [first, second]
        let winners = outcomes.compactMap { outcome -> TestLease? in
          if case .taken(let lease) = outcome { lease } else { nil }
        }
        #expect(winners.count == 1, "round \(round): exactly one taker wins")
        guard let winner = winners.first else { continue }
        let holder = await winner.record
        for case .held(by: let by) in outcomes { #expect(by == holder, "the loser names the winner") }
        #expect(try await bucket.stored() == holder)
        #expect(await winner.release())
      }
    }
  }

  @Test func aLiveLeaseIsNotTakenAndNamesItsHolder() async throws {
    try await LeaseBucket.with { bucket in
      let other = TestHolder.foreign("b")
      try await bucket.overwrite(with: other)
      guard case .held(let by) = try await bucket.acquire(.mine("a")) else {
        Issue.record("a live lease must not be taken")
        return
      }
      #expect(by == other)
      #expect(try await bucket.stored() == other)
    }
  }

  @Test func anUnreadableLeaseIsNamedWhileYoungAndReplacedWhenOld() async throws {
    try await LeaseBucket.with { bucket in
      let garbage = Array("<html>a captive portal\u{1B}[2J".utf8)
      try await bucket.client.putObject(bucket: bucket.bucket, key: bucket.object.key, body: garbage)
      // Young for an hour's lifetime, however slowly a busy test run gets here.
      let young = await #expect(throws: LeaseError.self) { _ = try await bucket.acquire(.mine("a"), ttl: 3_600) }
      #expect(young?.code == .unreadable)
      #expect(young?.message.contains("is not a lease") == true)
      #expect(young?.message.contains("replaced once it is 60 minutes old") == true, "\(String(describing: young))")
      #expect(young?.message.contains("\u{1B}") == false)
      #expect(try await bucket.object.read()?.bytes == garbage, "a young one is left as it is")
      try await Task.sleep(for: .seconds(2.2))  // Last-Modified has whole seconds.
      let lease = try await bucket.take(.mine("a"), ttl: 1)
      #expect(try await bucket.stored() == (await lease.record))
      #expect(await lease.release())
    }
  }

  /// Leases written before fencing (plain JSON, no ETag remembered) are read and taken
  /// over the same way: the record's fields are its keys.
  @Test func aLeaseOfAnOlderVersionIsReadAndTakenOver() async throws {
    try await LeaseBucket.with { bucket in
      let old = """
        {"acquired_at": "2025-01-01T00:00:00.000Z", "expires_at": "2025-01-01T00:10:00.000Z",
         "host": "gone.example", "name": "old", "pid": 7}
        """
      try await bucket.client.putObject(bucket: bucket.bucket, key: bucket.object.key, body: Array(old.utf8))
      #expect(try await TestLease.current(at: bucket.object)?.name == "old")
      let lease = try await bucket.take(.mine("new"))
      #expect(try await bucket.stored()?.name == "new")
      #expect(await lease.release())
    }
  }
}
