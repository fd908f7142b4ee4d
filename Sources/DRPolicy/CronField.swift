/// One field of a cron expression: its range and the names it accepts.
struct CronField {
  let name: String
  let range: ClosedRange<Int>
  let names: [String]
  let namesStart: Int

  static let minute = CronField(name: "minute", range: 0...59, names: [], namesStart: 0)
  static let hour = CronField(name: "hour", range: 0...23, names: [], namesStart: 0)
  static let dayOfMonth = CronField(name: "day of month", range: 1...31, names: [], namesStart: 1)
  static let month = CronField(
    name: "month", range: 1...12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], namesStart: 1)
  static let dayOfWeek = CronField(
    name: "day of week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], namesStart: 0)

  func parse(_ text: String) throws(CronExpression.ParseError) -> Set<Int> {
    var values = Set<Int>()
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      values.formUnion(try parseItem(item))
    }
    return values
  }

  private func parseItem(_ item: Substring) throws(CronExpression.ParseError) -> [Int] {
    let parts = item.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2 else { throw fail("'\(item)' has more than one /") }
    var step = 1
    if parts.count == 2 {
      guard let parsed = Int(parts[1]), parsed > 0, parsed <= range.upperBound else {
        throw fail("step '\(parts[1])' must be a number from 1 to \(range.upperBound)")
      }
      step = parsed
    }
    let bounds = try parseRange(parts[0], stepped: parts.count == 2)
    return Array(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
  }

  private func parseRange(_ text: Substring, stepped: Bool) throws(CronExpression.ParseError) -> ClosedRange<Int> {
    if text == "*" { return range }
    let ends = text.split(separator: "-", omittingEmptySubsequences: false)
    guard ends.count <= 2 else { throw fail("'\(text)' is not a value or a range") }
    let low = try value(ends[0])
    let high = ends.count == 2 ? try value(ends[1]) : (stepped ? range.upperBound : low)
    guard low <= high else { throw fail("range \(text) runs backwards") }
    return low...high
  }

  private func value(_ text: Substring) throws(CronExpression.ParseError) -> Int {
    if let number = Int(text) {
      guard range.contains(number) else {
        throw fail("\(number) is outside \(range.lowerBound)-\(range.upperBound)")
      }
      return number
    }
    if let index = names.firstIndex(of: text.lowercased()) { return namesStart + index }
    throw fail("'\(text)' is not a number\(names.isEmpty ? "" : " or a name (\(names.first!)…\(names.last!))")")
  }

  private func fail(_ problem: String) -> CronExpression.ParseError {
    CronExpression.ParseError(reason: "\(name): \(problem)")
  }
}
