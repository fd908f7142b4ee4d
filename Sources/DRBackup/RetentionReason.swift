import DRCore
import Foundation

/// Why the planner keeps or removes a backup. `description` is the text `dr prune` prints.
public enum RetentionReason: Hashable, Sendable, CustomStringConvertible {
  // Reasons to keep.

  /// The `rank`-th newest complete backup, within `keep_last` ("last 1" is the newest).
  case last(rank: Int)
  /// The newest complete backup of one of the last `daily` days that have one.
  case daily(Retention.Day)
  /// The newest complete backup of one of the last `weekly` ISO weeks that have one.
  case weekly(Retention.Week)
  /// The newest complete backup of one of the last `monthly` months that have one.
  case monthly(Retention.Month)
  /// The policy has no retention: every complete backup stays.
  case noRetentionRule
  /// The newest complete backup that passed verification: the latest good one, which
  /// failover restores.
  case newestVerified
  /// The newest complete backup, kept as the latest good one because none is verified.
  case newestComplete
  /// In the protected set: a backup running now (found through the lock).
  case protected
  /// Incomplete but young enough to be still running.
  case incompleteWithinGrace
  /// Its state could not be read (the reason): it may be complete, so it is never removed.
  case unknown(String)
  /// The rule alone would remove it, but backups whose state is unknown could change what
  /// the rule keeps: nothing is removed until they can be read.
  case unknownsCouldChangeTheRule

  // Reasons to remove.

  /// Complete, and no part of the retention rule keeps it.
  case notKeptByRule
  /// Incomplete and older than the grace period: an abandoned backup.
  case incompleteExpired(grace: TimeInterval)

  /// Whether this reason keeps the backup.
  public var keeps: Bool {
    switch self {
    case .notKeptByRule, .incompleteExpired: false
    default: true
    }
  }

  public var description: String {
    switch self {
    case .last(let rank): "last \(rank)"
    case .daily(let day): "daily \(day)"
    case .weekly(let week): "weekly \(week)"
    case .monthly(let month): "monthly \(month)"
    case .noRetentionRule: "no retention rule"
    case .newestVerified: "newest verified"
    case .newestComplete: "newest complete, none verified"
    case .protected: "protected: running"
    case .incompleteWithinGrace: "incomplete, within the grace period"
    case .unknown(let reason): "unknown: \(reason)"
    case .unknownsCouldChangeTheRule: "kept: backups that could not be read may change what the rule keeps"
    case .notKeptByRule: "not kept by the retention rule"
    case .incompleteExpired(let grace): "incomplete, older than \(Self.format(grace))"
    }
  }

  /// `24h`, `90m`, `45s`: whole hours as hours (the grace is usually a day), else the
  /// largest units that fit (`1h30m`).
  static func format(_ interval: TimeInterval) -> String {
    guard interval.isFinite, abs(interval) < 1e15 else { return "\(interval)s" }
    let seconds = Int(interval.rounded())
    if seconds > 0, seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
    var rest = max(seconds, 0)
    var text = ""
    for (unit, size) in [("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
      text += "\(rest / size)\(unit)"
      rest %= size
    }
    return text.isEmpty ? "0s" : text
  }
}
