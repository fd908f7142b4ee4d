/// Durations as a person reads them in a health line: "27h", "90m", "4d", "26.5h".
enum HealthText {
  /// The largest unit that keeps the number readable, to a tenth. A stale age is rounded
  /// up, so a backup just past its limit never reads as exactly at it.
  static func duration(_ seconds: Double, rounding: FloatingPointRoundingRule = .down) -> String {
    let seconds = max(0, seconds)
    if seconds < 120 { return "\(Int(seconds.rounded(rounding)))s" }
    if seconds < 120 * 60 { return tenths(seconds / 60, rounding) + "m" }
    if seconds < 48 * 3_600 { return tenths(seconds / 3_600, rounding) + "h" }
    return tenths(seconds / 86_400, rounding) + "d"
  }

  private static func tenths(_ value: Double, _ rounding: FloatingPointRoundingRule) -> String {
    let tenths = Int((value * 10).rounded(rounding))
    return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
  }

  /// The first line of a message, at most 200 characters: a health line stays one line.
  static func brief(_ message: String) -> String {
    let first = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
    return first.count <= 200 ? first : String(first.prefix(199)) + "…"
  }
}
