/// One thing found about a restore target before anything is changed (`dr restore --target
/// URL --dry-run`, `dr check --env NAME`): what it means for the restore, and how to fix it.
public struct TargetFinding: Sendable, Codable, Equatable {
  public enum Status: String, Sendable, Codable {
    /// The restore will do with it.
    case ok
    /// The restore may work, or works with less than the backup holds, or it is unknown.
    case warn
    /// The restore would fail (or is refused) as things stand.
    case fail
  }

  /// What was checked: `server`, `extension:NAME`, `extensions`, `database`, `roles`,
  /// `free_space`, `key`, `connection`.
  public let check: String
  public let status: Status
  /// What was found and what it means for the restore.
  public let detail: String
  /// How to fix it; nil when nothing needs fixing.
  public let fix: String?

  public init(_ check: String, _ status: Status, _ detail: String, fix: String? = nil) {
    self.check = check
    self.status = status
    self.detail = detail
    self.fix = fix
  }

  enum CodingKeys: String, CodingKey {
    case check, status, detail, fix
  }

  /// `fix` is always written (null when there is nothing to fix): one shape for every finding.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(check, forKey: .check)
    try container.encode(status, forKey: .status)
    try container.encode(detail, forKey: .detail)
    try container.encode(fix, forKey: .fix)
  }
}

/// What `dr restore --target URL --dry-run` prints: the backup it would restore, the target,
/// and every finding; `ok` when none fails.
public struct TargetCheckReport: Sendable, Codable {
  public let id: String
  public let target: String
  public let findings: [TargetFinding]

  public var ok: Bool { findings.allSatisfy { $0.status != .fail } }

  public init(id: String, target: String, findings: [TargetFinding]) {
    self.id = id
    self.target = target
    self.findings = findings
  }

  enum CodingKeys: String, CodingKey {
    case id, target, findings, ok
    case dryRun = "dry_run"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(target, forKey: .target)
    try container.encode(true, forKey: .dryRun)
    try container.encode(ok, forKey: .ok)
    try container.encode(findings, forKey: .findings)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    target = try container.decode(String.self, forKey: .target)
    findings = try container.decode([TargetFinding].self, forKey: .findings)
  }
}
