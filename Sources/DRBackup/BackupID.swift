import Foundation

/// A backup's identity: its UTC start time and a short random suffix,
/// `20261124T221900Z-7f3a`, so object keys sort by time.
public struct BackupID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public let rawValue: String
  /// The start time the ID encodes (second precision).
  public let startedAt: Date

  /// Parses an ID exactly as dr writes it; nil for anything else, so a hostile key in the
  /// bucket (`../`, control characters, very long names) never becomes an ID.
  public init?(_ text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count == 21, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
      bytes[16] == UInt8(ascii: "-"),
      bytes[0..<8].allSatisfy(Self.isDigit), bytes[9..<15].allSatisfy(Self.isDigit),
      bytes[17..<21].allSatisfy(Self.isLowerHex),
      let date = Self.parseTime(String(decoding: bytes[0..<16], as: UTF8.self))
    else { return nil }
    rawValue = text
    startedAt = date
  }

  /// A new ID for a backup starting at `date`.
  public static func new(at date: Date, suffix: UInt16 = .random(in: 0...UInt16.max)) -> BackupID {
    BackupID(format(date) + "-" + randomSuffix(suffix))!
  }

  /// Four lower-case hex digits: what sets apart names made in the same second.
  public static func randomSuffix(_ value: UInt16 = .random(in: 0...UInt16.max)) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 4 - hex.count) + hex
  }

  public var description: String { rawValue }

  public static func < (lhs: BackupID, rhs: BackupID) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let id = BackupID(text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a backup ID"))
    }
    self = id
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
  static func format(_ date: Date) -> String {
    let parts = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func pad(_ value: Int?, _ width: Int) -> String {
      let text = String(value ?? 0)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T" + pad(parts.hour, 2)
      + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
  }

  static func parseTime(_ text: String) -> Date? {
    let digits = Array(text.utf8).filter(isDigit).map { Int($0 - UInt8(ascii: "0")) }
    guard digits.count == 14 else { return nil }
    func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
    let components = DateComponents(
      calendar: .utc, timeZone: TimeZone(identifier: "UTC"), year: number(0..<4), month: number(4..<6),
      day: number(6..<8), hour: number(8..<10), minute: number(10..<12), second: number(12..<14))
    guard components.isValidDate, let date = components.date else { return nil }
    return date
  }

  private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
  private static func isLowerHex(_ byte: UInt8) -> Bool {
    isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
  }
}

extension Calendar {
  /// The Gregorian calendar in UTC: dr's days, weeks and months.
  public static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()
}
