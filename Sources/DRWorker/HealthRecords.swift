import Foundation

extension HealthState {
  /// What `/healthz` knows of one policy.
  public struct PolicyRecord: Sendable, Equatable {
    /// `verify.max_age` in seconds; nil means the newest verified backup is never stale.
    public var maxAge: TimeInterval?
    public var newestVerified: Date?
    /// The last `dr check --env` of each environment, by environment name.
    public var checks: [String: CheckRecord] = [:]
    public var lastFailure: FailureRecord?
  }

  /// The last `dr check --env` of one environment.
  public struct CheckRecord: Sendable, Equatable {
    public var passed: Bool
    /// What failed, in the check's words; nil when it passed.
    public var reason: String?
    public var at: Date
  }

  /// The last failed job of a policy.
  public struct FailureRecord: Sendable, Equatable {
    public var job: String
    public var reason: JobFailureReason
    public var message: String
    public var at: Date
  }
}
