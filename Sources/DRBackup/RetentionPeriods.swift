import DRCore
import Foundation

extension Retention {
  /// A UTC calendar day, `2026-11-24`: the bucket of a `daily` rule.
  public typealias Day = CivilDate

  /// An ISO-8601 week, `2026-W47`: weeks start on Monday and belong to the year of their
  /// Thursday, so 2027-01-01 is in 2026-W53 and 2024-12-30 in 2025-W01. The bucket of a
  /// `weekly` rule.
  public struct Week: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ISO week-numbering year, which differs from the calendar year for a few days
    /// around New Year.
    public let year: Int
    /// 1...53.
    public let week: Int

    public var description: String { "\(year.zeroPadded(to: 4))-W\(week.zeroPadded(to: 2))" }

    public static func < (lhs: Week, rhs: Week) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }
  }

  /// A UTC calendar month, `2026-11`: the bucket of a `monthly` rule.
  public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public var description: String { "\(year.zeroPadded(to: 4))-\(month.zeroPadded(to: 2))" }

    public static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
  }
}

extension Retention.Week {
  /// The ISO week `date` falls in (UTC): the week's Thursday decides the week-numbering
  /// year, and week 1 is the week holding that year's first Thursday.
  public init(_ date: Date) {
    let days = CivilDate.days(date)
    // 0 for Monday ... 6 for Sunday (1970-01-01 was a Thursday).
    let thursday = days - ((days + 3) % 7 + 7) % 7 + 3
    let year = CivilDate(daysSince1970: thursday).year
    self.init(year: year, week: (thursday - CivilDate(year: year, month: 1, day: 1).daysSince1970) / 7 + 1)
  }
}

extension Retention.Month {
  /// The UTC month `date` falls in.
  public init(_ date: Date) {
    let day = CivilDate(date)
    self.init(year: day.year, month: day.month)
  }
}
