/// A standard five-field cron expression, evaluated in UTC.
///
/// Fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or jan-dec),
/// day of week (0-7 or sun-sat, 0 and 7 both Sunday). Each field takes `*`, numbers,
/// ranges `a-b`, steps `*/n` and `a-b/n`, and comma lists. Macros: `@yearly`
/// (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`), `@hourly`.
/// As in Vixie cron, when both day fields are restricted a day matches either.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
  public let source: String
  public let minutes: Set<Int>
  public let hours: Set<Int>
  public let daysOfMonth: Set<Int>
  public let months: Set<Int>
  /// 0 = Sunday … 6 = Saturday.
  public let daysOfWeek: Set<Int>
  public let dayOfMonthRestricted: Bool
  public let dayOfWeekRestricted: Bool

  public struct ParseError: Error, Equatable {
    public let reason: String
  }

  static let macros: [String: String] = [
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
  ]

  public init(parsing text: String) throws(ParseError) {
    let trimmed = String(text.trimmingWhitespace())
    let expanded = trimmed.hasPrefix("@") ? Self.macros[trimmed.lowercased()] : trimmed
    guard let expanded else { throw ParseError(reason: "unknown macro \(trimmed)") }
    let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard fields.count == 5 else { throw ParseError(reason: "expected 5 fields, found \(fields.count)") }
    source = trimmed
    minutes = try CronField.minute.parse(fields[0])
    hours = try CronField.hour.parse(fields[1])
    daysOfMonth = try CronField.dayOfMonth.parse(fields[2])
    months = try CronField.month.parse(fields[3])
    daysOfWeek = Set(try CronField.dayOfWeek.parse(fields[4]).map { $0 % 7 })
    dayOfMonthRestricted = !fields[2].hasPrefix("*")
    dayOfWeekRestricted = !fields[4].hasPrefix("*")
  }

  public var description: String { source }

  /// Whether some date matches. `0 0 31 2 *` parses (cron accepts it) but never fires: a
  /// backup scheduled so would silently never happen. Only the day of the month can make
  /// that so, when the day of the week does not widen it.
  public var everFires: Bool {
    let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return dayOfWeekRestricted || months.contains { month in daysOfMonth.contains { $0 <= longest[month - 1] } }
  }
}
