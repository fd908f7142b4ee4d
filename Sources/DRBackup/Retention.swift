import Foundation

/// How many backups `dr prune` keeps: the newest `keepLast`, and the newest of each of the
/// last `daily` days, `weekly` ISO weeks and `monthly` months that have one (UTC).
public struct RetentionRule: Sendable, Equatable {
  public var keepLast: Int
  public var daily: Int
  public var weekly: Int
  public var monthly: Int

  public init(keepLast: Int, daily: Int = 0, weekly: Int = 0, monthly: Int = 0) {
    self.keepLast = keepLast
    self.daily = daily
    self.weekly = weekly
    self.monthly = monthly
  }
}

/// A backup as retention sees it.
public struct RetentionCandidate: Sendable, Equatable {
  public let id: BackupID
  /// Has a manifest: restorable.
  public let complete: Bool
  /// Passed a verification.
  public let verified: Bool

  public init(id: BackupID, complete: Bool, verified: Bool) {
    self.id = id
    self.complete = complete
    self.verified = verified
  }
}
