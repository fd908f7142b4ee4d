import DRWorker
import Foundation
import Testing

/// `/readyz`'s judgement from the cached bucket reads, as values.
struct ReadinessTests {
  static let now = Date(timeIntervalSince1970: 1_764_072_000)

  @Test func notReadyUntilThePoliciesAreLoadedAndEveryBucketWasRead() {
    let readiness = ReadinessState()
    #expect(readiness.evaluate(now: Self.now, staleAfter: 180).text == "not ready\nthe policies are not loaded yet\n")
    readiness.loaded(policies: [])
    #expect(readiness.evaluate(now: Self.now, staleAfter: 180).text == "not ready\nno policy is loaded\n")
    readiness.loaded(policies: ["summit", "orders"])
    readiness.bucketRead(policy: "summit", succeeded: true, at: Self.now - 5)
    let report = readiness.evaluate(now: Self.now, staleAfter: 180)
    #expect(!report.ready)
    #expect(report.lines == ["orders: its bucket has not been read yet", "summit: ok: bucket read 5s ago"])
    readiness.bucketRead(policy: "orders", succeeded: true, at: Self.now - 1)
    #expect(readiness.evaluate(now: Self.now, staleAfter: 180).ready)
  }

  @Test func aFailedReadMakesItNotReadyUntilAReadSucceeds() {
    let readiness = ReadinessState()
    readiness.loaded(policies: ["summit"])
    readiness.bucketRead(policy: "summit", succeeded: true, at: Self.now - 120)
    readiness.bucketRead(policy: "summit", succeeded: false, problem: "no answer from 127.0.0.1:9", at: Self.now - 60)
    #expect(readiness.lastReadFailed(policy: "summit"))
    #expect(readiness.hasRead(policy: "summit"))
    let failed = readiness.evaluate(now: Self.now, staleAfter: 180)
    #expect(!failed.ready)
    #expect(
      failed.lines == [
        "summit: its bucket could not be read 60s ago (last read 2m ago): no answer from 127.0.0.1:9: "
          + "run dr check --policy summit"
      ])
    readiness.bucketRead(policy: "summit", succeeded: true, at: Self.now)
    #expect(readiness.evaluate(now: Self.now, staleAfter: 180).text == "ready\nsummit: ok: bucket read 0s ago\n")
  }

  @Test func aReadThatNeverSucceededSaysSo() {
    let readiness = ReadinessState()
    readiness.loaded(policies: ["summit"])
    readiness.bucketRead(policy: "summit", succeeded: false, problem: "403 AccessDenied", at: Self.now - 3)
    #expect(!readiness.hasRead(policy: "summit"))
    #expect(
      readiness.evaluate(now: Self.now, staleAfter: 180).lines == [
        "summit: its bucket could not be read 3s ago (never read): 403 AccessDenied: run dr check --policy summit"
      ])
  }

  /// A watch that stopped reading is not trusted for ever: the cache has an age.
  @Test func aStaleReadIsNotReady() {
    let readiness = ReadinessState()
    readiness.loaded(policies: ["summit"])
    readiness.bucketRead(policy: "summit", succeeded: true, at: Self.now - 181)
    let report = readiness.evaluate(now: Self.now, staleAfter: 180)
    #expect(!report.ready)
    #expect(report.lines.first?.hasPrefix("summit: its bucket was last read 3m ago, more than 3m") == true)
  }

  /// A reload forgets the reads of the policies it dropped.
  @Test func aReloadForgetsDroppedPolicies() {
    let readiness = ReadinessState()
    readiness.loaded(policies: ["summit", "old"])
    readiness.bucketRead(policy: "summit", succeeded: true, at: Self.now)
    readiness.bucketRead(policy: "old", succeeded: false, problem: "gone", at: Self.now)
    readiness.loaded(policies: ["summit"])
    #expect(readiness.evaluate(now: Self.now, staleAfter: 180).ready)
    #expect(!readiness.lastReadFailed(policy: "old"))
  }
}
