import DRBackup
import Foundation
import Testing

extension RetentionTests {
  /// Ten thousand backups, checked against a plain model of the rule built on Foundation's
  /// calendars. No timing assertion: it only has to stay quick enough for a unit test.
  @Suite struct Scale {
    static let start = id("2025-06-01 00:00").startedAt
    /// One hour after the last backup.
    static let now = start.addingTimeInterval(10_000 * 3_600)

    /// Hourly from 2025-06-01 00:00 to 2026-07-22 15:00; every 50th verified, every 97th
    /// incomplete (the newest verified complete one is 2026-07-20 14:00, hour 9950).
    static func hourly() -> [RetentionCandidate] {
      (0..<10_000).map { (hour: Int) -> RetentionCandidate in
        let date = start.addingTimeInterval(Double(hour) * 3_600)
        let id = BackupID.new(at: date, suffix: UInt16(hour % 7))
        return RetentionCandidate(id: id, complete: hour % 97 != 0, verified: hour % 50 == 0)
      }
    }

    /// A rule and, when worked out by hand, how many backups it keeps.
    static let cases: [(RetentionRule, Int?)] = [
      // 3 last, 6 more days, 2 more weeks, 5 more months, the latest good, 1 young incomplete.
      (rule(last: 3, daily: 7, weekly: 4, monthly: 6), 18),
      (rule(last: 24, daily: 30, weekly: 12, monthly: 12), nil),
      (rule(last: 20_000), nil),
    ]

    @Test(arguments: cases)
    func tenThousandBackups(_ rule: RetentionRule, _ count: Int?) {
      let candidates = Self.hourly()
      let plan = Retention.plan(
        candidates: candidates.shuffled(), rule: rule, now: Self.now, incompleteGrace: 86_400, protected: [])
      let expected = Self.expectedKept(candidates, rule)
      #expect(Set(plan.kept) == expected)
      #expect(Set(plan.removed) == Set(candidates.map(\.id)).subtracting(expected))
      #expect(plan.entries.map(\.id) == candidates.map(\.id).sorted(by: >))
      #expect(plan.latestGood == id("2026-07-20 14:00").withSuffix(9_950 % 7))
      if let count { #expect(expected.count == count) }
    }

    /// What the rule keeps, the latest good one, and incomplete ones within a day.
    static func expectedKept(_ candidates: [RetentionCandidate], _ rule: RetentionRule) -> Set<BackupID> {
      let complete = candidates.filter(\.complete).map(\.id)
      let latestGood = candidates.filter { $0.complete && $0.verified }.map(\.id).max()!
      let young = candidates.filter { !$0.complete && now.timeIntervalSince($0.id.startedAt) <= 86_400 }
      return model(complete, rule).union([latestGood]).union(young.map(\.id))
    }

    /// The rule as grouping: the newest backup of each period, the newest periods first.
    static func model(_ ids: [BackupID], _ rule: RetentionRule) -> Set<BackupID> {
      var iso = Calendar(identifier: .iso8601)
      iso.timeZone = TimeZone(identifier: "UTC")!
      iso.firstWeekday = 2
      iso.minimumDaysInFirstWeek = 4
      let periods: [(Int, (Date) -> DateComponents)] = [
        (rule.daily, { Calendar.utc.dateComponents([.year, .month, .day], from: $0) }),
        (rule.weekly, { iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: $0) }),
        (rule.monthly, { Calendar.utc.dateComponents([.year, .month], from: $0) }),
      ]
      var kept = Set(ids.sorted(by: >).prefix(rule.keepLast))
      for (count, period) in periods {
        let groups = Dictionary(grouping: ids) { period($0.startedAt) }
        kept.formUnion(groups.values.map { $0.max()! }.sorted(by: >).prefix(count))
      }
      return kept
    }
  }
}

extension BackupID {
  /// The same start time with another suffix.
  fileprivate func withSuffix(_ suffix: Int) -> BackupID {
    BackupID.new(at: startedAt, suffix: UInt16(suffix))
  }
}
