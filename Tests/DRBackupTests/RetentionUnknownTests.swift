import DRBackup
import Testing

extension RetentionTests {
  /// Backups whose state could not be read: never removed, and nothing removed at all when
  /// their real state could change what the rule keeps.
  @Suite struct Unknown {
    static let unsure = "kept: backups that could not be read may change what the rule keeps"
    static let notKept = "not kept by the retention rule"

    static let cases: [Case] = [
      Case(
        name: "an unreadable newest backup could take a keep_last slot: nothing is removed",
        backups: ["2026-11-21 12:00", "2026-11-22 12:00", "2026-11-23 12:00", "2026-11-24 12:00 u"],
        rule: rule(last: 2),
        kept: [
          "2026-11-24 12:00": "unknown: 403", "2026-11-23 12:00": "last 1, newest complete, none verified",
          "2026-11-22 12:00": "last 2", "2026-11-21 12:00": unsure,
        ],
        removed: [:]),
      Case(
        name: "an unreadable backup older than what the rule keeps changes nothing: the rest is pruned",
        backups: ["2026-11-20 12:00 u", "2026-11-21 12:00", "2026-11-22 12:00", "2026-11-23 12:00 v"],
        rule: rule(last: 1),
        kept: ["2026-11-23 12:00": "last 1, newest verified", "2026-11-20 12:00": "unknown: 403"],
        removed: ["2026-11-22 12:00": notKept, "2026-11-21 12:00": notKept]),
      Case(
        name: "an unreadable verification of the newest backup could move the latest good: nothing is removed",
        backups: ["2026-11-21 12:00 v", "2026-11-22 12:00", "2026-11-23 12:00 q"],
        rule: rule(last: 1),
        kept: [
          "2026-11-23 12:00": "unknown: 503", "2026-11-22 12:00": unsure, "2026-11-21 12:00": "newest verified",
        ],
        removed: [:]),
      Case(
        name: "every manifest unreadable: all kept, only known debris goes",
        backups: ["2026-11-20 12:00 i", "2026-11-22 12:00 u", "2026-11-23 12:00 u"],
        rule: rule(last: 1),
        kept: ["2026-11-23 12:00": "unknown: 403", "2026-11-22 12:00": "unknown: 403"],
        removed: ["2026-11-20 12:00": "incomplete, older than 24h"]),
      Case(
        name: "too many unknowns to plan every state: nothing is removed",
        backups: [
          "2026-11-10 12:00", "2026-11-11 12:00 u", "2026-11-12 12:00 u", "2026-11-13 12:00 u", "2026-11-14 12:00 u",
          "2026-11-15 12:00 u", "2026-11-16 12:00 u", "2026-11-17 12:00 u", "2026-11-18 12:00 v",
        ],
        rule: rule(last: 1),
        kept: [
          "2026-11-18 12:00": "last 1, newest verified", "2026-11-17 12:00": "unknown: 403",
          "2026-11-16 12:00": "unknown: 403", "2026-11-15 12:00": "unknown: 403", "2026-11-14 12:00": "unknown: 403",
          "2026-11-13 12:00": "unknown: 403", "2026-11-12 12:00": "unknown: 403", "2026-11-11 12:00": "unknown: 403",
          "2026-11-10 12:00": unsure,
        ],
        removed: [:]),
    ]

    @Test(arguments: cases) func plan(_ test: Case) {
      check(test)
    }

    @Test func aPlanThatDependsOnUnknownsIsBlockedAndNamesThem() {
      let candidates = ["2026-11-22 12:00", "2026-11-23 12:00", "2026-11-24 12:00 u"].map(candidate)
      let plan = Retention.plan(
        candidates: candidates, rule: rule(last: 1), now: id("2026-11-25 12:00").startedAt,
        incompleteGrace: 86_400, protected: [])
      #expect(plan.blocked)
      #expect(plan.removed.isEmpty)
      #expect(plan.unknown.map(\.id) == [id("2026-11-24 12:00")])
      #expect(plan.latestGood == nil, "the latest good depends on the unknown")
    }

    @Test func anUnknownThatChangesNothingDoesNotBlock() {
      let candidates = ["2026-11-20 12:00 u", "2026-11-23 12:00", "2026-11-24 12:00 v"].map(candidate)
      let plan = Retention.plan(
        candidates: candidates, rule: rule(last: 1), now: id("2026-11-25 12:00").startedAt,
        incompleteGrace: 86_400, protected: [])
      #expect(!plan.blocked)
      #expect(plan.removed == [id("2026-11-23 12:00")])
      #expect(plan.latestGood == id("2026-11-24 12:00"))
    }
  }
}
