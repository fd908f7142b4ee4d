import DRPolicy
import Foundation

/// What a job does, one per `dr` command the worker runs.
public enum JobKind: Sendable, Hashable {
  case backup
  case verify
  case prune
  /// `dr copy`: the backups (and verifications) a copy destination lacks.
  case copy
  /// `dr check --env ENVIRONMENT`.
  case check(environment: String)

  /// A stable name for logs, metrics labels and the scheduler's counters.
  public var name: String {
    switch self {
    case .backup: "backup"
    case .verify: "verify"
    case .prune: "prune"
    case .copy: "copy"
    case .check(let environment): "check:\(environment)"
    }
  }
}

/// One recurring piece of work for one policy.
public struct Job: Sendable, Hashable, CustomStringConvertible {
  public var policy: String
  public var kind: JobKind
  /// When it fires; nil for a job that only follows another (prune, after a backup).
  public var schedule: CronExpression?

  public init(policy: String, kind: JobKind, schedule: CronExpression?) {
    self.policy = policy
    self.kind = kind
    self.schedule = schedule
  }

  /// Unique among the worker's jobs: `POLICY/KIND`, e.g. `summit/check:failover`.
  public var name: String { "\(policy)/\(kind.name)" }

  public var description: String { name }

  /// The gap between the first two fire times after `date`: how old a last success may
  /// be before the job is overdue. Nil without a schedule or when it never fires.
  public func interval(after date: Date) -> TimeInterval? {
    guard let first = schedule?.next(after: date), let second = schedule?.next(after: first) else { return nil }
    return second.timeIntervalSince(first)
  }
}
