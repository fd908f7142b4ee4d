import DRBackup
import DRFailover
import DRPolicy
import DRStorage
import Foundation

/// When a job last succeeded, read from the bucket (so a restarted worker, or another
/// one, knows): the newest complete backup, the newest passed verification, the last
/// passed `check --env`. Prune has no record of its own: it follows backups.
public struct LastSuccess: Sendable {
  let policy: Policy
  let variables: [String: String]

  public init(policy: Policy, variables: [String: String]) {
    self.policy = policy
    self.variables = variables
  }

  public func backup() async throws -> Date? {
    try await catalogue().entries().filter(\.complete).compactMap(\.finishedAt).max()
  }

  public func verification() async throws -> Date? {
    let records = try await catalogue().verifications(latestOnly: false).values.flatMap { $0 }
    return records.filter { $0.outcome == .passed }.map(\.startedAt).max()
  }

  /// The newest backup that passed a verification, and when it was taken.
  public func newestVerifiedBackup() async throws -> Date? {
    try await catalogue().entries().filter { $0.verification == "passed" }.map(\.startedAt).max()
  }

  public func check(environment: String) async throws -> Date? {
    let context = try await FailoverContext.connect(policy: policy, environment: environment, variables: variables)
    return try await context.lastCheck()
  }

  private func catalogue() async throws -> Catalogue {
    let storage = try await StorageConnector(environment: variables).connect(policy.storage)
    return Catalogue(storage: storage, policyName: policy.name)
  }
}
