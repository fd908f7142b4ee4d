import DRRestore

/// The outcome of `dr check`: one line per thing checked; for `dr check --env`, also the
/// findings about the restore's target (`target`), as `dr restore --dry-run` reports them.
public struct PreflightReport: Sendable, Codable {
  public enum Status: String, Sendable, Codable {
    case ok
    case failed
    case skipped
  }

  public struct Check: Sendable, Codable {
    public let name: String
    public let status: Status
    public let detail: String

    public init(_ name: String, _ status: Status, _ detail: String) {
      self.name = name
      self.status = status
      self.detail = detail
    }
  }

  public let policy: String
  public let file: String
  public var checks: [Check]
  /// `dr check --env`: the failover's restore target, looked at before anything changes.
  public var target: [TargetFinding]?

  public var ok: Bool {
    checks.allSatisfy { $0.status != .failed } && (target ?? []).allSatisfy { $0.status != .fail }
  }

  public init(policy: String, file: String, checks: [Check]) {
    self.policy = policy
    self.file = file
    self.checks = checks
  }

  enum CodingKeys: String, CodingKey {
    case policy, file, checks, ok, target
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(policy, forKey: .policy)
    try container.encode(file, forKey: .file)
    try container.encode(ok, forKey: .ok)
    try container.encode(checks, forKey: .checks)
    try container.encodeIfPresent(target, forKey: .target)
  }
}

extension PreflightReport {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    policy = try container.decode(String.self, forKey: .policy)
    file = try container.decode(String.self, forKey: .file)
    checks = try container.decode([Check].self, forKey: .checks)
    target = try container.decodeIfPresent([TargetFinding].self, forKey: .target)
  }
}
