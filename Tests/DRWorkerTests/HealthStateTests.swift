import DRCore
import DRWorker
import Foundation
import Testing

/// `/healthz`'s judgement, with given dates: fresh is healthy, stale or a failed
/// `check --env` is not, and each line names the policy and what to do.
struct HealthStateTests {
  static let now = Date(timeIntervalSince1970: 1_764_072_000)
  static let hour: TimeInterval = 3_600

  static func state(maxAge: TimeInterval? = 26 * hour, verifiedHoursAgo: Double?) -> HealthState {
    let state = HealthState()
    state.register(policy: "summit", maxAge: maxAge)
    if let verifiedHoursAgo {
      state.newestVerifiedBackup(policy: "summit", at: now - verifiedHoursAgo * hour)
    }
    return state
  }

  @Test func freshIsHealthy() {
    let report = Self.state(verifiedHoursAgo: 3).evaluate(now: Self.now)
    #expect(report.healthy)
    #expect(report.lines == ["summit: ok: newest verified backup 3h old (max_age 26h)"])
    #expect(report.text == "ok\nsummit: ok: newest verified backup 3h old (max_age 26h)\n")
  }

  @Test func staleIsUnhealthyWithWhatToDo() {
    let report = Self.state(verifiedHoursAgo: 27).evaluate(now: Self.now)
    #expect(!report.healthy)
    #expect(
      report.lines == [
        "summit: newest verified backup is 27h old (max_age 26h): run dr verify --policy summit "
          + "and look at the worker's log"
      ])
  }

  @Test func exactlyAtMaxAgeIsStillFresh() {
    #expect(Self.state(verifiedHoursAgo: 26).evaluate(now: Self.now).healthy)
    let justPast = Self.state(verifiedHoursAgo: 26 + 1 / 3_600).evaluate(now: Self.now)
    #expect(!justPast.healthy)
    #expect(justPast.lines.first?.contains("is 26.1h old (max_age 26h)") == true)
  }

  @Test func noVerifiedBackupWithMaxAgeIsUnhealthy() {
    let report = Self.state(verifiedHoursAgo: nil).evaluate(now: Self.now)
    #expect(!report.healthy)
    #expect(report.lines.first?.hasPrefix("summit: no verified backup (max_age 26h): run dr verify") == true)
  }

  @Test func noMaxAgeIsNeverStale() {
    let old = Self.state(maxAge: nil, verifiedHoursAgo: 24 * 400).evaluate(now: Self.now)
    #expect(old.healthy)
    #expect(old.lines == ["summit: ok: newest verified backup 400d old (no max_age)"])
    #expect(Self.state(maxAge: nil, verifiedHoursAgo: nil).evaluate(now: Self.now).healthy)
  }

  @Test func aFailedCheckIsUnhealthyWithItsReason() {
    let state = Self.state(verifiedHoursAgo: 3)
    state.checkFinished(policy: "summit", environment: "staging", passed: true, reason: nil, at: Self.now - Self.hour)
    state.checkFinished(
      policy: "summit", environment: "dr-site", passed: false, reason: "juju: model dr-site not found",
      at: Self.now - 2 * Self.hour)
    let report = state.evaluate(now: Self.now)
    #expect(!report.healthy)
    #expect(
      report.lines == [
        "summit: check --env dr-site failed 2h ago: juju: model dr-site not found: "
          + "run dr check --policy summit --env dr-site and fix what it reports"
      ])
    state.checkFinished(policy: "summit", environment: "dr-site", passed: true, reason: nil, at: Self.now)
    #expect(state.evaluate(now: Self.now).healthy)
  }

  @Test func aFailedJobIsNamedButAloneIsNotUnhealthy() {
    let state = Self.state(verifiedHoursAgo: 3)
    state.jobFailed(
      policy: "summit", job: "backup", reason: .storage, message: "PUT: 503 SlowDown\nretried 5 times",
      at: Self.now - 90 * 60)
    let report = state.evaluate(now: Self.now)
    #expect(report.healthy)
    #expect(report.lines.first?.hasSuffix("; last failure: backup (storage) 90m ago: PUT: 503 SlowDown") == true)
    state.jobSucceeded(policy: "summit", job: "backup")
    #expect(state.snapshot["summit"]?.lastFailure == nil)
  }

  @Test func onePolicyUnhealthyMakesTheWholeUnhealthy() {
    let state = Self.state(verifiedHoursAgo: 3)
    state.register(policy: "orders", maxAge: 4 * 24 * Self.hour)
    state.newestVerifiedBackup(policy: "orders", at: Self.now - 5 * 24 * Self.hour)
    let report = state.evaluate(now: Self.now)
    #expect(!report.healthy)
    #expect(report.lines.count == 2)
    #expect(report.lines[0].hasPrefix("orders: newest verified backup is 5d old (max_age 4d)"))
    #expect(report.lines[1].hasPrefix("summit: ok"))
  }

  @Test func noPoliciesIsHealthy() {
    #expect(HealthState().evaluate(now: Self.now) == HealthReport(healthy: true, lines: []))
  }
}
