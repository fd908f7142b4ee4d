import DRCore

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
    let civil = CivilDate(daysSince1970: dayNumber)
    amzDate =
      civil.year.zeroPadded(to: 4) + civil.month.zeroPadded(to: 2) + civil.day.zeroPadded(to: 2) + "T"
      + (second / 3600).zeroPadded(to: 2) + (second / 60 % 60).zeroPadded(to: 2) + (second % 60).zeroPadded(to: 2) + "Z"
  }
}
