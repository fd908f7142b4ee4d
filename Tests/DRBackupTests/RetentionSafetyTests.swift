import DRBackup
import Testing

extension RetentionTests {
  /// What is never removed: the latest good backup and protected (running) backups.
  @Suite struct Safety {
    static let notKept = "not kept by the retention rule"
    static let expired = "incomplete, older than 24h"

    static let cases: [Case] = [
      Case(
        name: "the newest verified backup stays when the rule would drop it",
        backups: ["2026-11-21 12:00", "2026-11-22 12:00 v", "2026-11-23 12:00", "2026-11-24 12:00"],
        rule: rule(last: 1),
        kept: ["2026-11-24 12:00": "last 1", "2026-11-22 12:00": "newest verified"],
        removed: ["2026-11-23 12:00": notKept, "2026-11-21 12:00": notKept]),
      Case(
        name: "an old newest verified backup stays, older verified ones do not",
        backups: ["2024-06-01 12:00 v", "2025-01-01 12:00 v", "2026-11-23 12:00", "2026-11-24 12:00"],
        rule: rule(daily: 2),
        kept: [
          "2026-11-24 12:00": "daily 2026-11-24", "2026-11-23 12:00": "daily 2026-11-23",
          "2025-01-01 12:00": "newest verified",
        ],
        removed: ["2024-06-01 12:00": notKept]),
      Case(
        name: "without a verified backup the newest complete one stays",
        backups: ["2026-11-22 12:00", "2026-11-23 12:00", "2026-11-24 00:00 i"],
        rule: rule(),
        kept: ["2026-11-23 12:00": "newest complete, none verified"],
        removed: ["2026-11-24 00:00": expired, "2026-11-22 12:00": notKept]),
      Case(
        name: "an incomplete backup marked verified is not the latest good",
        backups: ["2026-11-22 12:00 v", "2026-11-23 12:00", "2026-11-25 06:00 i v"],
        rule: rule(last: 1),
        kept: [
          "2026-11-25 06:00": "incomplete, within the grace period", "2026-11-23 12:00": "last 1",
          "2026-11-22 12:00": "newest verified",
        ],
        removed: [:]),
      Case(
        name: "protected backups stay, complete or not; unknown protected IDs are ignored",
        backups: ["2026-11-20 12:00 i", "2026-11-21 12:00", "2026-11-22 12:00", "2026-11-24 12:00 v"],
        rule: rule(last: 1),
        protected: ["2026-11-20 12:00", "2026-11-21 12:00", "2026-11-25 11:00"],
        kept: [
          "2026-11-24 12:00": "last 1, newest verified", "2026-11-21 12:00": "protected: running",
          "2026-11-20 12:00": "protected: running",
        ],
        removed: ["2026-11-22 12:00": notKept]),
      Case(
        name: "a protected incomplete backup within the grace lists both reasons",
        backups: ["2026-11-24 12:00 v", "2026-11-25 11:00 i"],
        rule: rule(last: 1),
        protected: ["2026-11-25 11:00"],
        kept: [
          "2026-11-25 11:00": "protected: running, incomplete, within the grace period",
          "2026-11-24 12:00": "last 1, newest verified",
        ],
        removed: [:]),
      Case(
        name: "a protected latest good backup kept by the rule lists every reason",
        backups: ["2026-11-24 12:00 v"],
        rule: rule(last: 1),
        protected: ["2026-11-24 12:00"],
        kept: ["2026-11-24 12:00": "last 1, newest verified, protected: running"],
        removed: [:]),
    ]

    @Test(arguments: cases)
    func neverRemoved(_ test: Case) {
      check(test)
    }

    @Test func latestGoodIsReported() {
      let candidates = ["2026-11-22 12:00 v", "2026-11-23 12:00", "2026-11-24 12:00 i"].map(candidate)
      let now = id("2026-11-25 12:00").startedAt
      let plan = Retention.plan(
        candidates: candidates, rule: rule(last: 1), now: now, incompleteGrace: 3_600, protected: [])
      #expect(plan.latestGood == id("2026-11-22 12:00"))
      let unverified = Retention.plan(
        candidates: candidates.map { RetentionCandidate(id: $0.id, complete: $0.complete, verified: false) },
        rule: nil, now: now, incompleteGrace: 3_600, protected: [])
      #expect(unverified.latestGood == id("2026-11-23 12:00"))
    }
  }
}
