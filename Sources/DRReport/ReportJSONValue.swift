import Foundation

/// A JSON tree with explicit nulls, so every key is always there: a stable form for
/// machines, whatever is missing.
enum ReportJSONValue: Encodable, Sendable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([ReportJSONValue])
  case object([String: ReportJSONValue])

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Seconds and other measures, to the millisecond; null when not finite.
  static func measure(_ value: Double?) -> ReportJSONValue {
    guard let value, value.isFinite else { return .null }
    return .double((value * 1_000).rounded() / 1_000)
  }

  static func time(_ date: Date?) -> ReportJSONValue { date.map { .string(ReportFormat.iso($0)) } ?? .null }

  static func text(_ value: String?) -> ReportJSONValue { value.map { .string($0) } ?? .null }

  static func integer(_ value: Int64?) -> ReportJSONValue { value.map { .int($0) } ?? .null }

  func encode(to encoder: any Encoder) throws {
    switch self {
    case .object(let members):
      var container = encoder.container(keyedBy: Key.self)
      for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
    case .array(let items):
      var container = encoder.unkeyedContainer()
      for item in items { try container.encode(item) }
    default:
      var container = encoder.singleValueContainer()
      switch self {
      case .bool(let value): try container.encode(value)
      case .int(let value): try container.encode(value)
      case .double(let value): try container.encode(value)
      case .string(let value): try container.encode(value)
      default: try container.encodeNil()
      }
    }
  }

  /// Pretty, keys sorted, slashes left alone.
  var text: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "{}" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
