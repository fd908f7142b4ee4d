/// How log lines look: for people at a terminal, or one JSON object per line for log
/// aggregation.
public enum LogFormat: String, Sendable, CaseIterable {
  /// Human lines on a terminal; JSON lines otherwise when `jsonWhenPiped` is asked for.
  case auto
  case human
  case json

  /// The concrete format for a stream: `auto` picks human on a terminal, and JSON off a
  /// terminal only for long-running services (`jsonWhenPiped`).
  public func resolved(isTerminal: Bool, jsonWhenPiped: Bool) -> LogFormat {
    guard self == .auto else { return self }
    return !isTerminal && jsonWhenPiped ? .json : .human
  }
}
