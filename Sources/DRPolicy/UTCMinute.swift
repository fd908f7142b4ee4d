import DRCore

/// A minute of the proleptic Gregorian calendar in UTC, as cron reads it.
///
/// The conversions are `CivilDate`'s plain integer arithmetic, so a cron search costs no
/// calendar objects or time zones and every step is exact.
struct UTCMinute: Equatable {
  var year: Int
  var month: Int
  var day: Int
  var hour: Int
  var minute: Int

  /// The minute that holds `seconds` since 1970-01-01T00:00:00Z (floor, also before 1970).
  init(secondsSince1970 seconds: Double) {
    let minutes = Int((seconds / 60).rounded(.down))
    let days = minutes.floorDivided(by: 1440)
    let rest = minutes - days * 1440
    let date = CivilDate(daysSince1970: days)
    (year, month, day) = (date.year, date.month, date.day)
    hour = rest / 60
    minute = rest % 60
  }

  init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
    (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
  }

  var secondsSince1970: Double {
    Double((CivilDate(year: year, month: month, day: day).daysSince1970 * 1440 + hour * 60 + minute) * 60)
  }

  /// 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday.
  var weekday: Int {
    (CivilDate(year: year, month: month, day: day).daysSince1970 + 4).floorModulo(7)
  }

  var daysInMonth: Int { Self.daysIn(month: month, year: year) }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  static func isLeap(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }
}

extension Int {
  fileprivate func floorDivided(by divisor: Int) -> Int {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }

  fileprivate func floorModulo(_ divisor: Int) -> Int {
    self - floorDivided(by: divisor) * divisor
  }
}
