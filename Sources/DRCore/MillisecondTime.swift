import Foundation

/// A time written `2025-03-01T02:00:04.250Z`: UTC with milliseconds, what most receivers
/// parse, whatever the `JSONEncoder`'s date settings. The property wrapper makes a type's
/// synthesized `Codable` write and read its times so (webhook events).
@propertyWrapper
public struct MillisecondTime: Codable, Sendable, Hashable {
  public static let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

  public var wrappedValue: Date

  public init(wrappedValue: Date) {
    self.wrappedValue = wrappedValue
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(wrappedValue.formatted(Self.format))
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let date = try? Self.format.parse(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected an ISO 8601 time with milliseconds, got \(text)")
    }
    wrappedValue = date
  }
}
