/// What `dr prune` would do: every candidate, newest first, kept or removed, with the reasons.
public struct RetentionPlan: Sendable, Equatable {
  /// Keep or remove.
  public enum Action: String, Sendable, Equatable {
    case keep, remove
  }

  /// One backup's decision.
  public struct Entry: Sendable, Equatable, CustomStringConvertible {
    public let candidate: RetentionCandidate
    public let action: Action
    /// Every reason that applies, in a fixed order: the rule's (last, daily, weekly,
    /// monthly), then latest good, protected, incomplete. Never empty.
    public let reasons: [RetentionReason]

    public init(candidate: RetentionCandidate, action: Action, reasons: [RetentionReason]) {
      self.candidate = candidate
      self.action = action
      self.reasons = reasons
    }

    public var id: BackupID { candidate.id }

    /// `20261124T221900Z-7f3a keep: last 1, daily 2026-11-24`.
    public var description: String {
      "\(id) \(action.rawValue): " + reasons.map(\.description).joined(separator: ", ")
    }
  }

  /// Every candidate once, newest first.
  public let entries: [Entry]
  /// The latest good backup: the newest complete one that passed verification, or the
  /// newest complete one when none did; nil when no backup is complete.
  public let latestGood: BackupID?
  /// Backups whose state is unknown could change what the rule keeps, so the plan removes
  /// nothing at all.
  public let blocked: Bool

  public init(entries: [Entry], latestGood: BackupID?, blocked: Bool = false) {
    self.entries = entries
    self.latestGood = latestGood
    self.blocked = blocked
  }

  /// The backups whose state is unknown, with why, newest first.
  public var unknown: [(id: BackupID, reason: String)] {
    entries.compactMap { entry in entry.candidate.unknown.map { (entry.id, $0.reason) } }
  }

  /// The backups to keep, newest first.
  public var kept: [BackupID] { entries.filter { $0.action == .keep }.map(\.id) }
  /// The backups to delete, newest first.
  public var removed: [BackupID] { entries.filter { $0.action == .remove }.map(\.id) }

  /// The entry for `id`, if it was a candidate.
  public func entry(for id: BackupID) -> Entry? { entries.first { $0.id == id } }
}
