import DRCore
import DRPolicy
import Foundation
import Testing

@testable import DRBackup

extension RetentionTests {
  /// The rule from a policy, and the reasons' wording.
  @Suite struct Settings {
    static let base = "name: m\ndatabase: {url: \"postgres://h/db\"}\nstorage: {url: \"s3://bucket-1\"}\n"

    @Test(
      arguments: [
        (
          "retention: {keep_last: 3, daily: 7, weekly: 4, monthly: 6}",
          RetentionRule(keepLast: 3, daily: 7, weekly: 4, monthly: 6)
        ),
        ("retention: {daily: 7}", RetentionRule(keepLast: 3, daily: 7)),
        ("retention: {keep_last: 5, lock: {mode: governance, days: 7}}", RetentionRule(keepLast: 5)),
      ] as [(String, RetentionRule)])
    func ruleFromPolicy(_ yaml: String, _ rule: RetentionRule) throws {
      let policy = try PolicyLoader(environment: [:]).parse(yaml: Self.base + yaml + "\n", file: "m.yaml")
      let settings = try #require(policy.retention)
      #expect(RetentionRule(settings: settings) == rule)
    }

    @Test func noRetentionSectionMeansNoRule() throws {
      let policy = try PolicyLoader(environment: [:]).parse(yaml: Self.base, file: "m.yaml")
      #expect(policy.retention.map(RetentionRule.init(settings:)) == nil)
    }

    @Test(
      arguments: [
        (.last(rank: 3), "last 3", true),
        (.daily(Retention.Day(year: 2026, month: 11, day: 24)), "daily 2026-11-24", true),
        (.weekly(Retention.Week(year: 2026, week: 7)), "weekly 2026-W07", true),
        (.monthly(Retention.Month(year: 2026, month: 1)), "monthly 2026-01", true),
        (.noRetentionRule, "no retention rule", true),
        (.newestVerified, "newest verified", true),
        (.newestComplete, "newest complete, none verified", true),
        (.protected, "protected: running", true),
        (.incompleteWithinGrace, "incomplete, within the grace period", true),
        (.notKeptByRule, "not kept by the retention rule", false),
        (.incompleteExpired(grace: 86_400), "incomplete, older than 24h", false),
        (.incompleteExpired(grace: 172_800), "incomplete, older than 48h", false),
        (.incompleteExpired(grace: 5_430), "incomplete, older than 1h30m30s", false),
        (.incompleteExpired(grace: 45), "incomplete, older than 45s", false),
      ] as [(RetentionReason, String, Bool)])
    func reasonWording(_ reason: RetentionReason, _ text: String, _ keeps: Bool) {
      #expect(reason.description == text)
      #expect(reason.keeps == keeps)
    }

    @Test func entryDescription() {
      let plan = Retention.plan(
        candidates: [candidate("2026-11-24 22:19 v")], rule: rule(last: 1, daily: 1), now: .now,
        incompleteGrace: 86_400, protected: [])
      #expect(
        plan.entries.map(\.description) == ["20261124T221900Z-0000 keep: last 1, daily 2026-11-24, newest verified"])
    }
  }
}
