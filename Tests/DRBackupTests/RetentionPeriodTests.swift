import DRCore
import Foundation
import Testing

@testable import DRBackup

extension RetentionTests {
  /// The days, ISO weeks and months backups fall in (UTC).
  @Suite struct Periods {
    static let known: [(String, String, String, String)] = [
      ("2026-11-24 22:19", "2026-11-24", "2026-W48", "2026-11"),
      ("2026-11-22 23:59:59", "2026-11-22", "2026-W47", "2026-11"),
      ("2026-11-23 00:00", "2026-11-23", "2026-W48", "2026-11"),
      ("2026-12-28 00:00", "2026-12-28", "2026-W53", "2026-12"),
      ("2027-01-01 12:00", "2027-01-01", "2026-W53", "2027-01"),
      ("2027-01-03 23:59:59", "2027-01-03", "2026-W53", "2027-01"),
      ("2027-01-04 00:00", "2027-01-04", "2027-W01", "2027-01"),
      ("2020-12-31 12:00", "2020-12-31", "2020-W53", "2020-12"),
      ("2021-01-03 12:00", "2021-01-03", "2020-W53", "2021-01"),
      ("2024-12-30 12:00", "2024-12-30", "2025-W01", "2024-12"),
      ("2028-02-29 12:00", "2028-02-29", "2028-W09", "2028-02"),
      ("1999-01-01 12:00", "1999-01-01", "1998-W53", "1999-01"),
      ("2008-12-29 12:00", "2008-12-29", "2009-W01", "2008-12"),
      ("2010-01-03 12:00", "2010-01-03", "2009-W53", "2010-01"),
      ("1969-12-31 23:59:59", "1969-12-31", "1970-W01", "1969-12"),
      ("2000-02-29 00:00", "2000-02-29", "2000-W09", "2000-02"),
    ]

    @Test(arguments: known)
    func knownDates(_ when: String, _ day: String, _ week: String, _ month: String) {
      let date = id(when).startedAt
      #expect(Retention.Day(date).description == day)
      #expect(Retention.Week(date).description == week)
      #expect(Retention.Month(date).description == month)
    }

    /// Foundation's ISO-8601 calendar in UTC, stated in full.
    static let iso: Calendar = {
      var calendar = Calendar(identifier: .iso8601)
      calendar.timeZone = TimeZone(identifier: "UTC")!
      calendar.firstWeekday = 2
      calendar.minimumDaysInFirstWeek = 4
      return calendar
    }()

    /// Every day of a decade, at its first and last second, agrees with Foundation.
    @Test(arguments: Array(stride(from: 1960, through: 2090, by: 10)))
    func agreesWithFoundation(_ decade: Int) {
      let start = Calendar.utc.date(from: DateComponents(year: decade, month: 1, day: 1))!
      let dates = (0..<3_653).flatMap { offset in
        [0.0, 86_399.0].map { start.addingTimeInterval(Double(offset) * 86_400 + $0) }
      }
      let mismatches = dates.filter { !Self.agree($0) }
      #expect(mismatches.isEmpty, "first: \(mismatches.prefix(3))")
    }

    static func agree(_ date: Date) -> Bool {
      let civil = Calendar.utc.dateComponents([.year, .month, .day], from: date)
      let week = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
      return Retention.Day(date) == Retention.Day(year: civil.year!, month: civil.month!, day: civil.day!)
        && Retention.Month(date) == Retention.Month(year: civil.year!, month: civil.month!)
        && Retention.Week(date) == Retention.Week(year: week.yearForWeekOfYear!, week: week.weekOfYear!)
    }
  }
}
