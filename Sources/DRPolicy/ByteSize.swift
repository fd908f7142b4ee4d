/// An amount of bytes written as people write it: `512KiB`, `50MiB`, `1.5GB`, `100MB`,
/// `4096` (bytes). Binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal ones (kB,
/// KB, MB, GB, TB) of 1000; `B` or no unit is bytes. A rate (`storage.max_rate`) is the
/// same followed by `/s`.
public struct ByteSize: Sendable, Hashable, CustomStringConvertible {
  public let bytes: Int64

  public init(bytes: Int64) {
    self.bytes = bytes
  }

  static let units: [String: Double] = [
    "": 1, "B": 1,
    "KiB": 1_024, "MiB": 1_048_576, "GiB": 1_073_741_824, "TiB": 1_099_511_627_776,
    "kB": 1_000, "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000, "TB": 1_000_000_000_000,
  ]

  /// Parses `NUMBER[UNIT]`; nil for anything else, zero, or more than 2^53 bytes.
  public init?(parsing text: String) {
    let trimmed = text.trimmingWhitespace()
    let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
    let unit = String(trimmed.dropFirst(number.count).drop { $0 == " " })
    guard !number.isEmpty, number.first != ".", number.last != ".", number.filter({ $0 == "." }).count <= 1,
      let value = Double(number), let scale = Self.units[unit]
    else { return nil }
    let total = (value * scale).rounded(.down)
    guard total >= 1, total <= 9_007_199_254_740_992 else { return nil }
    bytes = Int64(total)
  }

  /// Parses a rate, `NUMBER[UNIT]/s`; nil for anything else.
  public static func rate(parsing text: String) -> ByteSize? {
    let trimmed = String(text.trimmingWhitespace())
    guard trimmed.hasSuffix("/s") else { return nil }
    return ByteSize(parsing: String(trimmed.dropLast(2)))
  }

  /// `52428800 bytes`.
  public var description: String { "\(bytes) bytes" }
}
