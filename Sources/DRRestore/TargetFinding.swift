import DRCore

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
  /// How to fix it; nil (written as null: one shape for every finding) when nothing needs
  /// fixing.
  @ExplicitNull public var fix: String?

  public init(_ check: String, _ status: Status, _ detail: String, fix: String? = nil) {
    self.check = check
    self.status = status
    self.detail = detail
    self.fix = fix
  }
}

/// What `dr restore --target URL --dry-run` prints: the backup it would restore, the target,
/// and every finding; `ok` when none fails.
public struct TargetCheckReport: Sendable, Encodable {
  public let id: String
  public let target: String
  public let findings: [TargetFinding]
  /// No finding fails.
  public let ok: Bool
  /// Always true: the JSON says it is a dry run's.
  let dryRun = true

  public init(id: String, target: String, findings: [TargetFinding]) {
    self.id = id
    self.target = target
    self.findings = findings
    ok = findings.allSatisfy { $0.status != .fail }
  }

  enum CodingKeys: String, CodingKey {
    case id, target, findings, ok
    case dryRun = "dry_run"
  }
}
