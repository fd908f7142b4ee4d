import ArgumentParser
import DRBackup
import DRPolicy
import DRStorage
import Foundation

/// `--env NAME` for commands that read the bucket: read the copy an environment keeps,
/// with its credentials (`--env failover` lists, verifies or reports from the spare side).
struct StorageOption: ParsableArguments {
  @Option(help: "Read the storage of this environment (or copy-N) with its credentials. Default: production.")
  var env: String?

  func settings(_ policy: Policy) throws -> StorageSettings {
    guard let env else { return policy.storage }
    return try StorageTargets(policy: policy).named(env)
  }

  /// The chosen storage, connected, and the policy's catalogue in it.
  func connect(
    _ policy: Policy, environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws -> (Storage, Catalogue) {
    let storage = try await StorageConnector(environment: environment).connect(try settings(policy))
    return (storage, Catalogue(storage: storage, policyName: policy.name))
  }
}
