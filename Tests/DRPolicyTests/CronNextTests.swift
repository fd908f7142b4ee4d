import DRPolicy
import Foundation
import Testing

/// `CronExpression.next(after:)` against hand-checked calendars (UTC).
struct CronNextTests {
  /// (expression, after, expected next fire or nil).
  static let cases: [(String, String, String?)] = [
    // The 31st only in months that have one.
    ("0 0 31 * *", "2024-04-15T00:00:00Z", "2024-05-31T00:00:00Z"),
    ("0 0 31 * *", "2024-05-31T00:00:00Z", "2024-07-31T00:00:00Z"),
    ("0 0 30 * *", "2023-01-30T00:00:00Z", "2023-03-30T00:00:00Z"),
    // Leap days: the next February 29th, past a century that is not a leap year.
    ("0 0 29 2 *", "2023-06-01T00:00:00Z", "2024-02-29T00:00:00Z"),
    ("0 0 29 2 *", "2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z"),
    ("0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"),
    ("0 0 28 2 *", "2100-02-28T12:00:00Z", "2101-02-28T00:00:00Z"),
    // Year rollover.
    ("59 23 31 12 *", "2024-12-31T23:59:00Z", "2025-12-31T23:59:00Z"),
    ("0 0 1 1 *", "2024-12-31T23:59:30Z", "2025-01-01T00:00:00Z"),
    ("*/15 * * * *", "2024-12-31T23:50:00Z", "2025-01-01T00:00:00Z"),
    // Steps, lists and ranges.
    ("*/15 * * * *", "2024-01-01T10:07:00Z", "2024-01-01T10:15:00Z"),
    ("*/15 * * * *", "2024-01-01T10:15:00Z", "2024-01-01T10:30:00Z"),
    ("1-30/5 * * * *", "2024-01-01T10:27:00Z", "2024-01-01T11:01:00Z"),
    ("5,10-12 * * * *", "2024-01-01T10:10:00Z", "2024-01-01T10:11:00Z"),
    ("5,10-12 * * * *", "2024-01-01T10:12:00Z", "2024-01-01T11:05:00Z"),
    ("0 */6 * * *", "2024-01-01T18:00:00Z", "2024-01-02T00:00:00Z"),
    ("30 4 1,15 * *", "2024-01-15T04:30:00Z", "2024-02-01T04:30:00Z"),
    // Month and weekday names (2024-01-30 is a Tuesday; 2024-07-01 a Monday).
    ("0 9 * JAN,jul MON", "2024-01-30T00:00:00Z", "2024-07-01T09:00:00Z"),
    ("0 9 * * mon-fri", "2024-01-05T09:00:00Z", "2024-01-08T09:00:00Z"),
    // Sunday as 0, 7 and sun (2024-01-07 is a Sunday).
    ("0 12 * * 0", "2024-01-01T00:00:00Z", "2024-01-07T12:00:00Z"),
    ("0 12 * * 7", "2024-01-01T00:00:00Z", "2024-01-07T12:00:00Z"),
    ("0 12 * * SUN", "2024-01-01T00:00:00Z", "2024-01-07T12:00:00Z"),
    // Both day fields restricted: either matches (Fridays and the 13th).
    ("0 0 13 * FRI", "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"),
    ("0 0 13 * FRI", "2024-01-12T00:00:00Z", "2024-01-13T00:00:00Z"),
    // A day of month that starts with `*` is not restricted: both must match.
    ("0 0 */2 * MON", "2024-01-01T00:00:00Z", "2024-01-15T00:00:00Z"),
    // Macros.
    ("@hourly", "2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z"),
    ("@daily", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),
    ("@midnight", "2024-01-01T23:59:59Z", "2024-01-02T00:00:00Z"),
    ("@weekly", "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z"),
    ("@monthly", "2024-01-31T12:00:00Z", "2024-02-01T00:00:00Z"),
    ("@yearly", "2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z"),
    ("@annually", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
    // Impossible expressions.
    ("0 0 30 2 *", "2024-01-01T00:00:00Z", nil),
    ("0 0 31 4,6,9,11 *", "2024-01-01T00:00:00Z", nil),
    // Seconds in `after`: the next whole minute strictly after it.
    ("* * * * *", "2024-01-01T10:00:00Z", "2024-01-01T10:01:00Z"),
    ("* * * * *", "2024-01-01T10:00:30Z", "2024-01-01T10:01:00Z"),
    ("30 10 * * *", "2024-01-01T10:29:59Z", "2024-01-01T10:30:00Z"),
    ("30 10 * * *", "2024-01-01T10:30:01Z", "2024-01-02T10:30:00Z"),
    // Before 1970 the minute is still found by flooring.
    ("0 0 1 1 *", "1969-12-31T12:00:00Z", "1970-01-01T00:00:00Z"),
  ]

  @Test(arguments: cases)
  func nextFire(_ expression: String, _ after: String, _ expected: String?) throws {
    let cron = try CronExpression(parsing: expression)
    let next = cron.next(after: try Self.date(after))
    #expect(next == (try expected.map(Self.date)))
  }

  @Test func fractionalSecondsRoundUpToTheNextMinute() throws {
    let cron = try CronExpression(parsing: "* * * * *")
    let after = try Self.date("2024-01-01T10:00:00Z").addingTimeInterval(0.25)
    #expect(cron.next(after: after) == (try Self.date("2024-01-01T10:01:00Z")))
  }

  /// The skipping search agrees with a minute-by-minute walk, fire after fire.
  @Test(arguments: ["*/7 3-5 * * *", "0,30 */5 1-3,20 * TUE", "15 22 * * 6,0", "0 0 1,31 * *"])
  func agreesWithAWalk(_ expression: String) throws {
    let cron = try CronExpression(parsing: expression)
    var after = try Self.date("2024-02-27T21:13:20Z")
    for _ in 0..<25 {
      let next = try #require(cron.next(after: after))
      #expect(next == Self.walk(cron, after: after, limit: 60 * 24 * 62))
      after = next
    }
  }

  private static func walk(_ cron: CronExpression, after: Date, limit: Int) -> Date? {
    let start = (after.timeIntervalSince1970 / 60).rounded(.down) * 60
    return (1...limit).lazy.map { Date(timeIntervalSince1970: start + Double($0 * 60)) }.first(where: cron.matches)
  }

  static func date(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
  }
}
