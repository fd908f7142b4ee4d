#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A signing instant in SigV4's two UTC forms, computed without locales or formatters.
public struct SigV4Timestamp: Sendable, Equatable {
  /// `yyyyMMdd'T'HHmmss'Z'`, for `X-Amz-Date` and the string to sign.
  public let amzDate: String
  /// `yyyyMMdd`, for the credential scope.
  public var day: String { String(amzDate.prefix(8)) }

  public init(_ date: Date) {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
    let dayNumber = secondOfDay < 0 ? days - 1 : days
    let second = secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay
    let (year, month, day) = Self.civilDate(daysSinceEpoch: dayNumber)
    amzDate =
      Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T" + Self.pad(second / 3600, 2)
      + Self.pad(second / 60 % 60, 2) + Self.pad(second % 60, 2) + "Z"
  }

  /// Proleptic Gregorian year, month and day of a day count since 1970-01-01
  /// (Howard Hinnant's `civil_from_days`).
  static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
    let shifted = daysSinceEpoch + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
