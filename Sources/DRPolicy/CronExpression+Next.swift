import Foundation

extension CronExpression {
  /// How far `next(after:)` looks ahead. Eight years, because that is the longest gap
  /// between two February 29ths (2096 → 2104); an expression with no match in that
  /// span (`0 0 30 2 *`) never matches.
  static let searchYears = 8

  /// The first whole minute strictly after `date` that the expression matches, in UTC,
  /// or nil when none comes within `searchYears`.
  ///
  /// The search skips whole months, days and hours that cannot match, so it costs a few
  /// thousand steps at worst (an impossible expression), never a walk minute by minute.
  /// Every step moves the cursor forward and the loop ends at the year limit.
  public func next(after date: Date) -> Date? {
    var cursor = UTCMinute(secondsSince1970: date.timeIntervalSince1970)
    cursor.startNextMinute()
    let lastYear = cursor.year + Self.searchYears
    while cursor.year <= lastYear {
      if settle(&cursor) { return Date(timeIntervalSince1970: cursor.secondsSince1970) }
    }
    return nil
  }

  /// Whether the minute holding `date` matches the expression, in UTC.
  public func matches(_ date: Date) -> Bool {
    let minute = UTCMinute(secondsSince1970: date.timeIntervalSince1970)
    return months.contains(minute.month) && matchesDay(minute) && hours.contains(minute.hour)
      && minutes.contains(minute.minute)
  }

  /// True when `cursor` matches, having moved it within its hour to the first matching
  /// minute; otherwise moves it to the start of the next month, day or hour that could.
  private func settle(_ cursor: inout UTCMinute) -> Bool {
    guard months.contains(cursor.month) else {
      cursor.startNextMonth()
      return false
    }
    guard matchesDay(cursor), let hour = Self.first(of: hours, from: cursor.hour, through: 23) else {
      cursor.startNextDay()
      return false
    }
    if hour != cursor.hour { (cursor.hour, cursor.minute) = (hour, 0) }
    guard let minute = Self.first(of: minutes, from: cursor.minute, through: 59) else {
      cursor.startNextHour()
      return false
    }
    cursor.minute = minute
    return true
  }

  /// Vixie cron's rule: when both day fields are restricted (neither starts with `*`),
  /// a day matches if either does; otherwise it must match both.
  private func matchesDay(_ minute: UTCMinute) -> Bool {
    let byMonth = daysOfMonth.contains(minute.day)
    let byWeek = daysOfWeek.contains(minute.weekday)
    return dayOfMonthRestricted && dayOfWeekRestricted ? byMonth || byWeek : byMonth && byWeek
  }

  private static func first(of values: Set<Int>, from start: Int, through end: Int) -> Int? {
    guard start <= end else { return nil }
    return (start...end).first { values.contains($0) }
  }
}

extension UTCMinute {
  mutating func startNextMinute() {
    minute += 1
    if minute == 60 { startNextHour() }
  }

  mutating func startNextHour() {
    (hour, minute) = (hour + 1, 0)
    if hour == 24 { startNextDay() }
  }

  mutating func startNextDay() {
    (day, hour, minute) = (day + 1, 0, 0)
    if day > daysInMonth { startNextMonth() }
  }

  mutating func startNextMonth() {
    (month, day, hour, minute) = (month + 1, 1, 0, 0)
    if month == 13 { (year, month) = (year + 1, 1) }
  }
}
