import DRBackup
import Testing

extension RetentionTests {
  /// Incomplete backups and the grace period, no rule, nothing to plan.
  @Suite struct Incomplete {
    static let within = "incomplete, within the grace period"

    static let cases: [Case] = [
      Case(
        name: "24h grace: younger or exactly 24h kept, older removed, future kept",
        backups: [
          "2026-11-20 12:00 i", "2026-11-23 12:00 v", "2026-11-24 11:59:59 i", "2026-11-24 12:00 i",
          "2026-11-25 11:00 i", "2026-11-25 13:00 i",
        ],
        rule: rule(last: 1),
        kept: [
          "2026-11-25 13:00": within, "2026-11-25 11:00": within, "2026-11-24 12:00": within,
          "2026-11-23 12:00": "last 1, newest verified",
        ],
        removed: [
          "2026-11-24 11:59:59": "incomplete, older than 24h", "2026-11-20 12:00": "incomplete, older than 24h",
        ]),
      Case(
        name: "a 90 minute grace",
        backups: ["2026-11-24 12:00 v", "2026-11-25 10:29 i", "2026-11-25 10:31 i"],
        rule: rule(last: 1), grace: 90 * 60,
        kept: ["2026-11-25 10:31": within, "2026-11-24 12:00": "last 1, newest verified"],
        removed: ["2026-11-25 10:29": "incomplete, older than 1h30m"]),
      Case(
        name: "no rule: every complete backup stays, old incomplete ones go",
        backups: [
          "2020-01-01 12:00", "2026-11-20 12:00 i", "2026-11-23 12:00 v", "2026-11-24 12:00", "2026-11-25 11:00 i",
        ],
        rule: nil,
        kept: [
          "2026-11-25 11:00": within, "2026-11-24 12:00": "no retention rule",
          "2026-11-23 12:00": "no retention rule, newest verified", "2020-01-01 12:00": "no retention rule",
        ],
        removed: ["2026-11-20 12:00": "incomplete, older than 24h"]),
      Case(name: "no backups", backups: [], rule: rule(last: 3), kept: [:], removed: [:]),
      Case(name: "no backups, no rule", backups: [], rule: nil, kept: [:], removed: [:]),
      Case(
        name: "only incomplete backups",
        backups: ["2026-11-20 12:00 i", "2026-11-25 11:00 i"],
        rule: rule(last: 3),
        kept: ["2026-11-25 11:00": within],
        removed: ["2026-11-20 12:00": "incomplete, older than 24h"]),
      Case(
        name: "a backup listed twice appears once",
        backups: ["2026-11-24 12:00", "2026-11-24 12:00 v", "2026-11-23 12:00"],
        rule: rule(last: 1),
        kept: ["2026-11-24 12:00": "last 1, newest verified"],
        removed: ["2026-11-23 12:00": "not kept by the retention rule"]),
    ]

    @Test(arguments: cases)
    func incomplete(_ test: Case) {
      check(test)
    }

    @Test func emptyPlanHasNoLatestGood() {
      let plan = Retention.plan(
        candidates: [candidate("2026-11-25 11:00 i")], rule: nil, now: id("2026-11-25 12:00").startedAt,
        incompleteGrace: 86_400, protected: [])
      #expect(plan.latestGood == nil)
      #expect(plan.kept == [id("2026-11-25 11:00")])
    }
  }
}
