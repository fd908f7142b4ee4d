import Logging

/// One JSON log line, written by hand so that values keep their types: a metadata value
/// given as `.stringConvertible` of a number or a Bool is a JSON number or bool
/// (`metadata: ["size_bytes": .stringConvertible(size)]`), every `.string` a string,
/// arrays and dictionaries JSON arrays and objects. Keys are sorted; strings are redacted.
enum LogJSON {
  static func object(_ fields: [String: Logger.MetadataValue?]) -> String {
    let members = fields.keys.sorted().map { key in
      "\(quoted(key)):\(fields[key]!.map(value) ?? "null")"
    }
    return "{" + members.joined(separator: ",") + "}"
  }

  static func value(_ value: Logger.MetadataValue) -> String {
    switch value {
    case .string(let text): quoted(text.redacted)
    case .stringConvertible(let item): scalar(item)
    case .array(let items): "[" + items.map(Self.value).joined(separator: ",") + "]"
    case .dictionary(let fields): object(fields.mapValues { $0 })
    }
  }

  /// Numbers and Bools as JSON's own; anything else (and a NaN or an infinity) as a string.
  static func scalar(_ item: any CustomStringConvertible & Sendable) -> String {
    switch item {
    case let flag as Bool: return flag ? "true" : "false"
    case let number as any BinaryInteger: return "\(number)"
    case let number as Double: return number.isFinite ? "\(number)" : quoted("\(number)")
    case let number as Float: return number.isFinite ? "\(number)" : quoted("\(number)")
    default: return quoted(item.description.redacted)
    }
  }

  static let escapes = TextEscaping.backslash.merging(["\"": "\\\""]) { $1 }

  static func quoted(_ text: String) -> String {
    "\""
      + text.escaped(escapes) { scalar in
        // Other control characters, and the two separators JavaScript reads as line ends.
        guard
          scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
            || scalar.value == 0x2029
        else { return nil }
        return "\\u" + String(scalar.value, radix: 16).zeroPadded(to: 4)
      } + "\""
  }
}
