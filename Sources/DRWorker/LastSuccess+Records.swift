import DRBackup
import DRPolicy
import DRS3
import DRStorage
import Foundation

/// What the worker learns of a policy from its bucket when it starts: one reading of the
/// catalogue gives the last successful backup, the last passed verification and the newest
/// verified backup.
public struct BucketRecords: Sendable, Equatable {
  public var lastBackup: Date?
  public var lastVerification: Date?
  public var newestVerified: Date?

  public init(lastBackup: Date? = nil, lastVerification: Date? = nil, newestVerified: Date? = nil) {
    self.lastBackup = lastBackup
    self.lastVerification = lastVerification
    self.newestVerified = newestVerified
  }

  /// From a catalogue's entries: complete backups' ends, passed verifications' ends, and the
  /// start of the newest backup whose verification state is "passed".
  public init(entries: [BackupEntry]) {
    lastBackup = entries.filter(\.complete).compactMap(\.finishedAt).max()
    lastVerification = entries.compactMap(\.lastVerification).filter { $0.outcome == .passed }.map(\.finishedAt).max()
    newestVerified = entries.filter { $0.verification == "passed" }.map(\.startedAt).max()
  }
}

extension LastSuccess {
  /// The catalogue, read once (a listing and every manifest): throws when the bucket cannot be read.
  public func records() async throws -> BucketRecords {
    let storage = try await StorageConnector(environment: variables).connect(policy.storage)
    return BucketRecords(entries: try await Catalogue(storage: storage, policyName: policy.name).entries())
  }

  /// The cheapest read that proves the bucket answers with these credentials: one listing
  /// of at most one key under the policy's backups.
  public func probe() async throws {
    let storage = try await StorageConnector(environment: variables).connect(policy.storage)
    let catalogue = Catalogue(storage: storage, policyName: policy.name)
    _ = try await storage.client.listObjects(
      bucket: catalogue.bucket, prefix: catalogue.layout.backupsPrefix, maxKeys: 1)
  }
}
