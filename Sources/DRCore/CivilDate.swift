import Foundation

/// A day of the proleptic Gregorian calendar in UTC, and its number of days since
/// 1970-01-01, by plain integer arithmetic (Howard Hinnant's `civil_from_days` and
/// `days_from_civil`): exact, fast, and free of calendars, locales and time zones. The one
/// home of this arithmetic: cron (`UTCMinute`), retention buckets and SigV4 timestamps
/// build on it.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    (self.year, self.month, self.day) = (year, month, day)
  }

  /// The date `days` after 1970-01-01 (before it for a negative count).
  public init(daysSince1970 days: Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153  // March is 0
    day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// The day `date` falls on.
  public init(_ date: Date) {
    self.init(daysSince1970: Self.days(date))
  }

  /// Days since 1970-01-01.
  public var daysSince1970: Int {
    let marchYear = month <= 2 ? year - 1 : year
    let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
    let yearOfEra = marchYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// Whole days from 1970-01-01 to `date`, rounding down (also before 1970). UTC has no
  /// DST and dr's times no leap seconds, so a day is 86,400 s.
  public static func days(_ date: Date) -> Int {
    Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
  }

  public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  /// `2026-11-24`.
  public var description: String { "\(year.zeroPadded(to: 4))-\(month.zeroPadded(to: 2))-\(day.zeroPadded(to: 2))" }
}

extension String {
  /// The text with zeros before it up to `width` characters, `"7" → "07"`; as it is when
  /// it is as long already.
  public func zeroPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}

extension Int {
  /// The decimal digits with zeros before them up to `width` characters, `7 → "07"`.
  public func zeroPadded(to width: Int) -> String { String(self).zeroPadded(to: width) }
}
