import DRBackup
import FoundationEssentials
import Testing

extension RetentionTests {
  /// Several parts of a rule at once: a backup kept by several lists every reason.
  @Suite struct Combined {
    static let notKept = "not kept by the retention rule"

    /// A backup a day at 03:00, 2026-09-25 to 2026-11-24.
    static let twoMonths = (0..<61).map { day in
      name(id("2026-09-25 03:00").startedAt.addingTimeInterval(Double(day) * 86_400))
    }

    static let exampleKept = [
      "2026-11-24 03:00": "last 1, daily 2026-11-24, weekly 2026-W48, monthly 2026-11",
      "2026-11-23 03:00": "last 2, daily 2026-11-23",
      "2026-11-22 03:00": "last 3, daily 2026-11-22, weekly 2026-W47, newest verified",
      "2026-11-21 03:00": "daily 2026-11-21",
      "2026-11-20 03:00": "daily 2026-11-20",
      "2026-11-19 03:00": "daily 2026-11-19",
      "2026-11-18 03:00": "daily 2026-11-18",
      "2026-11-15 03:00": "weekly 2026-W46",
      "2026-11-08 03:00": "weekly 2026-W45",
      "2026-10-31 03:00": "monthly 2026-10",
      "2026-09-30 03:00": "monthly 2026-09",
    ]

    static let cases: [Case] = [
      Case(
        name: "keep_last, daily, weekly and monthly together",
        backups: [
          "2026-09-30 10:00", "2026-10-15 10:00", "2026-10-31 10:00", "2026-11-19 10:00", "2026-11-20 10:00",
          "2026-11-23 10:00", "2026-11-24 10:00", "2026-11-24 22:00 v",
        ],
        rule: rule(last: 2, daily: 3, weekly: 2, monthly: 2),
        kept: [
          "2026-11-24 22:00": "last 1, daily 2026-11-24, weekly 2026-W48, monthly 2026-11, newest verified",
          "2026-11-24 10:00": "last 2",
          "2026-11-23 10:00": "daily 2026-11-23",
          "2026-11-20 10:00": "daily 2026-11-20, weekly 2026-W47",
          "2026-10-31 10:00": "monthly 2026-10",
        ],
        removed: ["2026-11-19 10:00": notKept, "2026-10-15 10:00": notKept, "2026-09-30 10:00": notKept]),
      Case(
        name: "one backup kept by every part of the rule",
        backups: ["2026-11-24 12:00"],
        rule: rule(last: 1, daily: 1, weekly: 1, monthly: 1),
        kept: [
          "2026-11-24 12:00":
            "last 1, daily 2026-11-24, weekly 2026-W48, monthly 2026-11, newest complete, none verified"
        ],
        removed: [:]),
      Case(
        name: "the policy example's rule over two months of daily backups",
        backups: twoMonths.map { $0 == "2026-11-22 03:00" ? $0 + " v" : $0 },
        rule: rule(last: 3, daily: 7, weekly: 4, monthly: 6),
        kept: exampleKept,
        removed: Dictionary(uniqueKeysWithValues: twoMonths.filter { exampleKept[$0] == nil }.map { ($0, notKept) })),
    ]

    @Test(arguments: cases)
    func combined(_ test: Case) {
      check(test)
    }
  }
}
