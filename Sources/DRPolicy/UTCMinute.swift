/// A minute of the proleptic Gregorian calendar in UTC, as cron reads it.
///
/// The conversions are plain integer arithmetic (Howard Hinnant's `days_from_civil` and
/// `civil_from_days`), so a cron search costs no calendar objects or time zones and
/// every step is exact.
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
    (year, month, day) = Self.civil(fromDays: days)
    hour = rest / 60
    minute = rest % 60
  }

  init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
    (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
  }

  var secondsSince1970: Double {
    Double((Self.days(year: year, month: month, day: day) * 1440 + hour * 60 + minute) * 60)
  }

  /// 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday.
  var weekday: Int {
    (Self.days(year: year, month: month, day: day) + 4).floorModulo(7)
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

  /// Days since 1970-01-01 of a civil date.
  static func days(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = shiftedYear.floorDivided(by: 400)
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil date `days` after 1970-01-01.
  static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    let shifted = days + 719_468
    let era = shifted.floorDivided(by: 146_097)
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
