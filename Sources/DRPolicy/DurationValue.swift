/// A span of time written as `26h`, `90m`, `7d`, `2w`, `45s` or combinations (`1h30m`).
public struct DurationValue: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let seconds: Int64

  public init(seconds: Int64) {
    self.seconds = seconds
  }

  private static let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]

  /// Parses the text form; nil when it is empty, has no unit, an unknown unit, or is zero.
  public init?(parsing text: String) {
    var total: Int64 = 0
    var digits = ""
    var sawUnit = false
    for character in text.trimmingWhitespace() {
      if character.isASCII, character.isNumber {
        digits.append(character)
      } else if let unit = Self.units[character], let value = Int64(digits) {
        let (product, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow, total <= Int64.max - product else { return nil }
        total += product
        digits = ""
        sawUnit = true
      } else {
        return nil
      }
    }
    guard digits.isEmpty, sawUnit, total > 0 else { return nil }
    self.seconds = total
  }

  public var description: String {
    var rest = seconds
    var text = ""
    for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
      text += "\(rest / size)\(unit)"
      rest %= size
    }
    return text.isEmpty ? "0s" : text
  }

  public static func < (lhs: DurationValue, rhs: DurationValue) -> Bool { lhs.seconds < rhs.seconds }
}

extension String {
  func trimmingWhitespace() -> Substring {
    let trimmed = drop { $0.isWhitespace }
    return trimmed.dropLast(trimmed.reversed().prefix { $0.isWhitespace }.count)
  }
}
