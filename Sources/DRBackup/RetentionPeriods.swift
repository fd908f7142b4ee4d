import Foundation

extension Retention {
  /// A UTC calendar day, `2026-11-24`: the bucket of a `daily` rule.
  public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
      self.year = year
      self.month = month
      self.day = day
    }

    /// The UTC day `date` falls on.
    public init(_ date: Date) {
      self = UTCDays.civil(UTCDays.days(date))
    }

    public var description: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    public static func < (lhs: Day, rhs: Day) -> Bool {
      (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
  }

  /// An ISO-8601 week, `2026-W47`: weeks start on Monday and belong to the year of their
  /// Thursday, so 2027-01-01 is in 2026-W53 and 2024-12-30 in 2025-W01. The bucket of a
  /// `weekly` rule.
  public struct Week: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ISO week-numbering year, which differs from the calendar year for a few days
    /// around New Year.
    public let year: Int
    /// 1...53.
    public let week: Int

    public init(year: Int, week: Int) {
      self.year = year
      self.week = week
    }

    /// The ISO week `date` falls in (UTC).
    public init(_ date: Date) {
      self = UTCDays.isoWeek(UTCDays.days(date))
    }

    public var description: String { "\(pad(year, 4))-W\(pad(week, 2))" }

    public static func < (lhs: Week, rhs: Week) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }
  }

  /// A UTC calendar month, `2026-11`: the bucket of a `monthly` rule.
  public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init(year: Int, month: Int) {
      self.year = year
      self.month = month
    }

    /// The UTC month `date` falls in.
    public init(_ date: Date) {
      let day = Day(date)
      self.init(year: day.year, month: day.month)
    }

    public var description: String { "\(pad(year, 4))-\(pad(month, 2))" }

    public static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
  }
}

/// Zero-padded decimal, `pad(7, 2) == "07"`.
private func pad(_ value: Int, _ width: Int) -> String {
  let text = String(value)
  return String(repeating: "0", count: max(0, width - text.count)) + text
}

/// Proleptic Gregorian arithmetic on days since 1970-01-01 (UTC has no DST and dr's IDs no
/// leap seconds, so a day is 86,400 s). Pure integer arithmetic: fast for large catalogues
/// and independent of the platform's calendar settings (a Gregorian `Calendar`'s
/// `weekOfYear` is not the ISO week unless it starts on Monday with 4-day first weeks).
enum UTCDays {
  /// Whole days since 1970-01-01, rounding down for earlier dates.
  static func days(_ date: Date) -> Int {
    Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
  }

  /// The civil date of a day number (Howard Hinnant's `civil_from_days`).
  static func civil(_ days: Int) -> Retention.Day {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153  // March is 0
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return Retention.Day(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
  }

  /// The day number of a civil date (Howard Hinnant's `days_from_civil`).
  static func days(year: Int, month: Int, day: Int) -> Int {
    let marchYear = month <= 2 ? year - 1 : year
    let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
    let yearOfEra = marchYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// 0 for Monday ... 6 for Sunday (1970-01-01 was a Thursday).
  static func weekdayFromMonday(_ days: Int) -> Int {
    ((days + 3) % 7 + 7) % 7
  }

  /// The ISO week: the week's Thursday decides the week-numbering year, and week 1 is the
  /// week holding that year's first Thursday.
  static func isoWeek(_ days: Int) -> Retention.Week {
    let thursday = days - weekdayFromMonday(days) + 3
    let year = civil(thursday).year
    let week = (thursday - Self.days(year: year, month: 1, day: 1)) / 7 + 1
    return Retention.Week(year: year, week: week)
  }
}
