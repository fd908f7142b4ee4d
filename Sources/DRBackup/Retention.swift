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
  /// What could not be read of it; nil when its state is known. An unknown backup is never
  /// removed, and a plan removes nothing that its real state could change.
  public let unknown: Unknown?

  /// What is not known of a backup.
  public enum Unknown: Sendable, Equatable {
    /// Its manifest could not be read: it may be absent, complete, or complete and verified.
    case manifest(String)
    /// It is complete, but a verification record could not be read: it may or may not be
    /// verified (`complete` is true).
    case verification(String)

    public var reason: String {
      switch self {
      case .manifest(let reason), .verification(let reason): reason
      }
    }
  }

  public init(id: BackupID, complete: Bool, verified: Bool, unknown: Unknown? = nil) {
    self.id = id
    self.complete = complete
    self.verified = verified
    self.unknown = unknown
  }
}
