import DRCore
import Foundation

extension Field {
  func string(_ expected: String = "a text value") throws(PolicyError) -> String {
    try scalarText(expected: expected)
  }

  func nonEmptyString(_ expected: String) throws(PolicyError) -> String {
    let text = try string(expected)
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("expected \(expected), got \"\"") }
    return text
  }

  /// A value that must never be printed; remembered so logs and errors can mask it.
  func secret(_ expected: String) throws(PolicyError) -> Secret {
    let text = try nonEmptyString(expected)
    context.noteSecret(text)
    return Secret(text)
  }

  func int(_ range: ClosedRange<Int>, _ expected: String = "a whole number") throws(PolicyError) -> Int {
    let text = try scalarText(expected: expected)
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
      throw error("expected \(expected) (\(range.lowerBound)...\(range.upperBound)), got \(quoted(text))")
    }
    guard range.contains(value) else {
      throw error("expected \(expected) from \(range.lowerBound) to \(range.upperBound), got \(value)")
    }
    return value
  }

  func port() throws(PolicyError) -> Int { try int(1...65535, "a TCP port") }

  func bool() throws(PolicyError) -> Bool {
    let text = try scalarText(expected: "true or false")
    switch text.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: throw error("expected true or false, got \(quoted(text))")
    }
  }

  func choice<Value: RawRepresentable & CaseIterable>(_ type: Value.Type) throws(PolicyError) -> Value
  where Value.RawValue == String {
    let names = Value.allCases.map(\.rawValue)
    let text = try scalarText(expected: "one of \(names.joined(separator: ", "))")
    guard let value = Value(rawValue: text) else {
      throw error("expected one of \(names.joined(separator: ", ")), got \(quoted(text))")
    }
    return value
  }

  func stringList(_ expected: String) throws(PolicyError) -> [String] {
    try sequence().map { field throws(PolicyError) in try field.nonEmptyString(expected) }
  }

  func duration() throws(PolicyError) -> DurationValue {
    let text = try scalarText(expected: "a duration such as 26h, 30m, 7d")
    guard let value = DurationValue(parsing: text) else {
      throw error("expected a duration such as 26h, 90m, 7d or 1h30m (units s, m, h, d, w), got \(quoted(text))")
    }
    return value
  }

  /// A bandwidth, `50MiB/s` or `100MB/s`: bytes per second.
  func byteRate() throws(PolicyError) -> Int64 {
    let text = try scalarText(expected: "a rate such as 50MiB/s")
    guard let rate = ByteSize.rate(parsing: text) else {
      throw error(
        "expected a rate such as 50MiB/s, 100MB/s or 512KiB/s (units B, KiB, MiB, GiB, kB, MB, GB; then /s), "
          + "got \(quoted(text))")
    }
    guard rate.bytes >= 1_024 else { throw error("expected at least 1KiB/s, got \(quoted(text))") }
    return rate.bytes
  }

  func cron() throws(PolicyError) -> CronExpression {
    let text = try scalarText(expected: "a cron expression")
    let expression: CronExpression
    do {
      expression = try CronExpression(parsing: text)
    } catch {
      throw self.error(
        "\(error.reason) in cron expression \(quoted(text)) (five fields in UTC: minute hour day month weekday, e.g. \"0 */6 * * *\", or @daily)"
      )
    }
    guard expression.everFires else {
      throw self.error(
        "cron expression \(quoted(text)) never fires: no month among its months has its days of the month")
    }
    return expression
  }

  /// A name used in object keys, paths and process names: `[a-z0-9-]+`.
  func identifier(_ what: String) throws(PolicyError) -> String {
    let text = try nonEmptyString(what)
    guard Identifier.isValid(text) else {
      throw error("expected \(what) of lowercase letters, digits and '-' (at most 63), got \(quoted(text))")
    }
    return text
  }

  func quoted(_ text: String) -> String {
    let shown = text.count > 80 ? String(text.prefix(77)) + "..." : text
    return "\"\(shown)\""
  }
}

enum Identifier {
  static func isValid(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 63
      && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
      && !text.hasPrefix("-")
  }
}
