import DRPolicy
import Testing

struct CronExpressionTests {
  @Test func everySixHours() throws {
    let cron = try CronExpression(parsing: "0 */6 * * *")
    #expect(cron.minutes == [0])
    #expect(cron.hours == [0, 6, 12, 18])
    #expect(cron.daysOfMonth.count == 31)
    #expect(!cron.dayOfMonthRestricted && !cron.dayOfWeekRestricted)
  }

  @Test func listsRangesStepsAndNames() throws {
    let cron = try CronExpression(parsing: "5,10-12 1-9/4 1,15 jan-mar,DEC mon-fri")
    #expect(cron.minutes == [5, 10, 11, 12])
    #expect(cron.hours == [1, 5, 9])
    #expect(cron.daysOfMonth == [1, 15])
    #expect(cron.months == [1, 2, 3, 12])
    #expect(cron.daysOfWeek == [1, 2, 3, 4, 5])
    #expect(cron.dayOfMonthRestricted && cron.dayOfWeekRestricted)
  }

  @Test func sundayIsZeroAndSeven() throws {
    #expect(try CronExpression(parsing: "0 0 * * 7").daysOfWeek == [0])
    #expect(try CronExpression(parsing: "0 0 * * 5-7").daysOfWeek == [5, 6, 0])
  }

  @Test(arguments: [
    ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"), ("@weekly", "0 0 * * 0"),
    ("@monthly", "0 0 1 * *"), ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"),
  ])
  func macros(_ macro: String, _ expanded: String) throws {
    let a = try CronExpression(parsing: macro)
    let b = try CronExpression(parsing: expanded)
    #expect(
      (a.minutes, a.hours, a.daysOfMonth, a.months, a.daysOfWeek) == (
        b.minutes, b.hours, b.daysOfMonth, b.months, b.daysOfWeek
      ))
  }

  @Test(arguments: [
    "", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
    "* * * * 8", "*/0 * * * *", "1-2-3 * * * *", "a * * * *", "5-1 * * * *", "@often", "*/x * * * *",
  ])
  func rejects(_ text: String) {
    #expect(throws: CronExpression.ParseError.self) { try CronExpression(parsing: text) }
  }
}
