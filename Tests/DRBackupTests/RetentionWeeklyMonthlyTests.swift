import DRBackup
import Testing

extension RetentionTests {
  /// `weekly` (ISO-8601 weeks) and `monthly`.
  @Suite struct WeeklyAndMonthly {
    static let notKept = "not kept by the retention rule"

    static let weeklyCases: [Case] = [
      Case(
        name: "weekly across the 2026/2027 boundary: 2026 has a week 53",
        backups: [
          "2026-12-27 12:00", "2026-12-28 00:00", "2026-12-29 12:00", "2026-12-31 12:00", "2027-01-01 12:00",
          "2027-01-03 23:59:59", "2027-01-04 00:00", "2027-01-05 12:00 v",
        ],
        rule: rule(weekly: 3), now: "2027-01-06 12:00",
        kept: [
          "2027-01-05 12:00": "weekly 2027-W01, newest verified", "2027-01-03 23:59:59": "weekly 2026-W53",
          "2026-12-27 12:00": "weekly 2026-W52",
        ],
        removed: [
          "2027-01-04 00:00": notKept, "2027-01-01 12:00": notKept, "2026-12-31 12:00": notKept,
          "2026-12-29 12:00": notKept, "2026-12-28 00:00": notKept,
        ]),
      Case(
        name: "2020-12-31 is in 2020-W53, with 2021-01-02",
        backups: ["2020-12-27 12:00", "2020-12-31 12:00", "2021-01-02 12:00 v"],
        rule: rule(weekly: 2), now: "2021-01-03 12:00",
        kept: ["2021-01-02 12:00": "weekly 2020-W53, newest verified", "2020-12-27 12:00": "weekly 2020-W52"],
        removed: ["2020-12-31 12:00": notKept]),
      Case(
        name: "2024-12-30 is in 2025-W01, with 2025-01-01",
        backups: ["2024-12-29 12:00", "2024-12-30 12:00", "2025-01-01 12:00 v"],
        rule: rule(weekly: 2), now: "2025-01-02 12:00",
        kept: ["2025-01-01 12:00": "weekly 2025-W01, newest verified", "2024-12-29 12:00": "weekly 2024-W52"],
        removed: ["2024-12-30 12:00": notKept]),
      Case(
        name: "weeks start on Monday and without backups do not count",
        backups: ["2026-09-02 12:00", "2026-10-14 12:00", "2026-11-22 23:59:59", "2026-11-23 00:00 v"],
        rule: rule(weekly: 3),
        kept: [
          "2026-11-23 00:00": "weekly 2026-W48, newest verified", "2026-11-22 23:59:59": "weekly 2026-W47",
          "2026-10-14 12:00": "weekly 2026-W42",
        ],
        removed: ["2026-09-02 12:00": notKept]),
    ]

    @Test(arguments: weeklyCases)
    func weekly(_ test: Case) {
      check(test)
    }

    static let monthlyCases: [Case] = [
      Case(
        name: "monthly keeps the newest of each month",
        backups: [
          "2026-09-15 12:00", "2026-09-30 12:00", "2026-10-01 00:00", "2026-10-31 23:59:59", "2026-11-01 00:00",
          "2026-11-24 12:00 v",
        ],
        rule: rule(monthly: 3),
        kept: [
          "2026-11-24 12:00": "monthly 2026-11, newest verified", "2026-10-31 23:59:59": "monthly 2026-10",
          "2026-09-30 12:00": "monthly 2026-09",
        ],
        removed: ["2026-11-01 00:00": notKept, "2026-10-01 00:00": notKept, "2026-09-15 12:00": notKept]),
      Case(
        name: "months without backups do not count, across a year end",
        backups: ["2025-11-10 12:00", "2025-12-10 12:00", "2026-01-20 12:00", "2026-03-01 12:00 v"],
        rule: rule(monthly: 3), now: "2026-03-02 12:00",
        kept: [
          "2026-03-01 12:00": "monthly 2026-03, newest verified", "2026-01-20 12:00": "monthly 2026-01",
          "2025-12-10 12:00": "monthly 2025-12",
        ],
        removed: ["2025-11-10 12:00": notKept]),
    ]

    @Test(arguments: monthlyCases)
    func monthly(_ test: Case) {
      check(test)
    }
  }
}
