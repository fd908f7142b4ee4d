import DRBackup
import Testing

extension RetentionTests {
  /// `keep_last` and `daily`.
  @Suite struct KeepLastAndDaily {
    static let notKept = "not kept by the retention rule"

    static let keepLastCases: [Case] = [
      Case(
        name: "keep_last 3 keeps the three newest",
        backups: [
          "2026-11-20 10:00", "2026-11-21 10:00", "2026-11-22 10:00", "2026-11-23 10:00", "2026-11-24 10:00 v",
        ],
        rule: rule(last: 3),
        kept: [
          "2026-11-24 10:00": "last 1, newest verified", "2026-11-23 10:00": "last 2", "2026-11-22 10:00": "last 3",
        ],
        removed: ["2026-11-21 10:00": notKept, "2026-11-20 10:00": notKept]),
      Case(
        name: "keep_last counts complete backups only",
        backups: ["2026-11-24 10:00 i", "2026-11-23 10:00", "2026-11-22 10:00", "2026-11-21 10:00"],
        rule: rule(last: 2),
        kept: ["2026-11-23 10:00": "last 1, newest complete, none verified", "2026-11-22 10:00": "last 2"],
        removed: ["2026-11-24 10:00": "incomplete, older than 24h", "2026-11-21 10:00": notKept]),
      Case(
        name: "keep_last beyond the number of backups keeps them all",
        backups: ["2026-11-23 10:00 v", "2026-11-24 10:00"],
        rule: rule(last: 10),
        kept: ["2026-11-24 10:00": "last 1", "2026-11-23 10:00": "last 2, newest verified"],
        removed: [:]),
      Case(
        name: "a rule of zeros keeps only the latest good",
        backups: ["2026-11-22 10:00 v", "2026-11-23 10:00", "2026-11-24 10:00"],
        rule: rule(),
        kept: ["2026-11-22 10:00": "newest verified"],
        removed: ["2026-11-23 10:00": notKept, "2026-11-24 10:00": notKept]),
    ]

    @Test(arguments: keepLastCases)
    func keepLast(_ test: Case) {
      check(test)
    }

    static let dailyCases: [Case] = [
      Case(
        name: "daily across a month end",
        backups: [
          "2026-10-30 12:00", "2026-10-31 08:00", "2026-10-31 20:00", "2026-11-01 06:00", "2026-11-02 06:00 v",
        ],
        rule: rule(daily: 3), now: "2026-11-02 12:00",
        kept: [
          "2026-11-02 06:00": "daily 2026-11-02, newest verified", "2026-11-01 06:00": "daily 2026-11-01",
          "2026-10-31 20:00": "daily 2026-10-31",
        ],
        removed: ["2026-10-31 08:00": notKept, "2026-10-30 12:00": notKept]),
      Case(
        name: "daily across the leap day 2028-02-29",
        backups: [
          "2028-02-27 12:00", "2028-02-28 12:00", "2028-02-29 00:00", "2028-02-29 23:59:59", "2028-03-01 00:00 v",
        ],
        rule: rule(daily: 3), now: "2028-03-01 12:00",
        kept: [
          "2028-03-01 00:00": "daily 2028-03-01, newest verified", "2028-02-29 23:59:59": "daily 2028-02-29",
          "2028-02-28 12:00": "daily 2028-02-28",
        ],
        removed: ["2028-02-29 00:00": notKept, "2028-02-27 12:00": notKept]),
      Case(
        name: "daily across a year end",
        backups: ["2026-12-30 12:00", "2026-12-31 23:59:59", "2027-01-01 00:00 v"],
        rule: rule(daily: 2), now: "2027-01-01 12:00",
        kept: ["2027-01-01 00:00": "daily 2027-01-01, newest verified", "2026-12-31 23:59:59": "daily 2026-12-31"],
        removed: ["2026-12-30 12:00": notKept]),
      Case(
        name: "several backups a day: the day's newest is kept",
        backups: [
          "2026-11-23 06:00", "2026-11-23 18:00", "2026-11-24 00:00", "2026-11-24 12:00", "2026-11-24 23:59:59 v",
        ],
        rule: rule(daily: 2),
        kept: ["2026-11-24 23:59:59": "daily 2026-11-24, newest verified", "2026-11-23 18:00": "daily 2026-11-23"],
        removed: ["2026-11-24 12:00": notKept, "2026-11-24 00:00": notKept, "2026-11-23 06:00": notKept]),
      Case(
        name: "days without backups do not count",
        backups: ["2026-10-01 12:00", "2026-11-10 12:00", "2026-11-20 12:00", "2026-11-24 12:00 v"],
        rule: rule(daily: 3),
        kept: [
          "2026-11-24 12:00": "daily 2026-11-24, newest verified", "2026-11-20 12:00": "daily 2026-11-20",
          "2026-11-10 12:00": "daily 2026-11-10",
        ],
        removed: ["2026-10-01 12:00": notKept]),
    ]

    @Test(arguments: dailyCases)
    func daily(_ test: Case) {
      check(test)
    }
  }
}
