import Foundation
import Synchronization

/// What `/readyz` knows: the policies loaded, and each one's last read of its bucket.
///
/// The reads are the bucket watch's (`BucketWatch`, every `--bucket-check-interval`); a
/// probe only reads this cache, so however often Kubernetes asks, the bucket is read at
/// the watch's pace. The judgement is `ReadinessEvaluation`, a pure function.
public final class ReadinessState: Sendable {
  /// One read of a policy's bucket.
  public struct BucketRead: Sendable, Equatable {
    public var succeeded: Bool
    public var at: Date
    /// Why it failed, redacted and on one line; nil when it succeeded.
    public var problem: String?
    /// The last read that succeeded, if any did.
    public var lastSuccess: Date?

    public init(succeeded: Bool, at: Date, problem: String? = nil, lastSuccess: Date? = nil) {
      self.succeeded = succeeded
      self.at = at
      self.problem = problem
      self.lastSuccess = lastSuccess
    }
  }

  struct Snapshot: Sendable, Equatable {
    var policies: [String]? = nil
    var reads: [String: BucketRead] = [:]
  }

  private let state = Mutex(Snapshot())

  public init() {}

  /// The policies now loaded (at start and after each reload); reads of others are forgotten.
  public func loaded(policies: [String]) {
    state.withLock { snapshot in
      snapshot.policies = policies
      snapshot.reads = snapshot.reads.filter { policies.contains($0.key) }
    }
  }

  public func bucketRead(policy: String, succeeded: Bool, problem: String? = nil, at: Date) {
    state.withLock { snapshot in
      let before = snapshot.reads[policy]?.lastSuccess
      snapshot.reads[policy] = BucketRead(
        succeeded: succeeded, at: at, problem: succeeded ? nil : problem, lastSuccess: succeeded ? at : before)
    }
  }

  /// Whether a read of the policy's bucket ever succeeded (then its records are known).
  public func hasRead(policy: String) -> Bool {
    state.withLock { $0.reads[policy]?.lastSuccess != nil }
  }

  /// Whether the last read of the policy's bucket failed.
  public func lastReadFailed(policy: String) -> Bool {
    state.withLock { $0.reads[policy].map { !$0.succeeded } ?? false }
  }

  var snapshot: Snapshot { state.withLock { $0 } }

  /// - Parameter staleAfter: a last successful read older than this is not trusted.
  public func evaluate(now: Date, staleAfter: TimeInterval) -> ReadinessReport {
    ReadinessEvaluation.evaluate(snapshot, now: now, staleAfter: staleAfter)
  }
}
