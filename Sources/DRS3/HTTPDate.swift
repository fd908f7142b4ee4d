import DRCore
import Foundation

/// HTTP dates (`Date`, `Last-Modified`): IMF-fixdate, as RFC 9110 says servers send,
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
///
/// Parsed by hand: Foundation's `DateFormatter` loads ICU's locale and time zone data
/// (about 7 MiB of a restore's peak RSS) and cost a formatter per answer, and every part
/// of a download is an answer. The weekday is checked for spelling, not against the date.
enum HTTPDate {
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
  static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

  static func parse(_ text: String) -> Date? {
    let fields = text.split(separator: " ", omittingEmptySubsequences: false)
    guard fields.count == 6, fields[0].count == 4, fields[0].hasSuffix(","),
      weekdays.contains(String(fields[0].dropLast())), fields[5] == "GMT",
      let day = number(fields[1], digits: 2), (1...31).contains(day),
      let month = months.firstIndex(of: String(fields[2])).map({ $0 + 1 }),
      let year = number(fields[3], digits: 4), let seconds = time(fields[4])
    else { return nil }
    let date = CivilDate(year: year, month: month, day: day)
    let days = date.daysSince1970
    // 31 Apr or 29 Feb 2030 lands on another day.
    guard CivilDate(daysSince1970: days) == date else { return nil }
    return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + seconds))
  }

  /// `HH:mm:ss` as seconds into the day (60 allowed for a leap second).
  static func time(_ text: Substring) -> Int? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, let hour = number(parts[0], digits: 2), let minute = number(parts[1], digits: 2),
      let second = number(parts[2], digits: 2), hour < 24, minute < 60, second <= 60
    else { return nil }
    return hour * 3_600 + minute * 60 + second
  }

  /// Exactly `digits` ASCII digits.
  static func number(_ text: Substring, digits: Int) -> Int? {
    guard text.utf8.count == digits, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
    return Int(text)
  }
}
