/// The worker's health at one moment: healthy or not, and a line per policy or problem
/// that names the policy and says what to do.
public struct HealthReport: Sendable, Equatable {
  public var healthy: Bool
  public var lines: [String]

  public init(healthy: Bool, lines: [String]) {
    self.healthy = healthy
    self.lines = lines
  }

  /// The `/healthz` body: `ok` or `unhealthy`, then the lines.
  public var text: String {
    ([healthy ? "ok" : "unhealthy"] + lines).joined(separator: "\n") + "\n"
  }
}
