import DRBackup
import DRPolicy
import DRStorage
import Foundation

/// The fixture for tests of the libraries below the binary: its policy loaded and its
/// storage connected as dr does it, and a backup made by `BackupRunner` in this process.
/// The policy must name its database's password (`userURLWithPasswordVariable()`): libpq
/// in the test process has no PGPASSWORD.
extension BackupFixture {
  /// Writes the policy with the database's password in its URL, for tests that load it here
  /// (`databaseURL` and `bucket` replace the fixture's).
  public func writeLibraryPolicy(extra: String = "", databaseURL: String? = nil, bucket: String? = nil) throws {
    try writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: extra,
      databaseURL: try databaseURL ?? userURLWithPasswordVariable(),
      bucket: bucket)
  }

  /// The policy file, loaded (and `${VAR}`s expanded) as dr loads it.
  public func policy() throws -> Policy {
    try PolicyLoader(environment: try environment()).load(path: policyFile)
  }

  /// The policy's storage, connected as dr connects it.
  public func storage(_ policy: Policy) async throws -> Storage {
    try await StorageConnector(environment: try environment()).connect(policy.storage)
  }

  /// The policy's catalogue of backups.
  public func catalogue(_ policy: Policy) async throws -> Catalogue {
    let storage = try await storage(policy)
    return Catalogue(storage: storage, policyName: policy.name)
  }

  /// One backup of the policy by `BackupRunner`, as `dr backup` makes it.
  public func backUp(_ policy: Policy) async throws -> BackupResult {
    try await BackupRunner(policy: policy, storage: try await storage(policy), environment: try environment())
      .run()
  }
}
