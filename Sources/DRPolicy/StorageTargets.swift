/// The storages a policy writes and reads, by name: `production` (the policy's
/// storage, or the production environment's override), each other environment's, and
/// `copy-N` for the N-th entry of `storage.copies`.
public struct StorageTargets: Sendable {
  public let policy: Policy

  public init(policy: Policy) {
    self.policy = policy
  }

  /// The storage called `name`; a name the policy does not have is an error (exit 2).
  public func named(_ name: String) throws(PolicyError) -> StorageSettings {
    if name == "production" { return policy.productionStorage }
    if let environment = policy.environment(named: name) { return environment.storage(over: policy.storage) }
    if name.hasPrefix("copy-"), let index = Int(name.dropFirst(5)), policy.storage.copies.indices.contains(index - 1) {
      return policy.storage.copies[index - 1]
    }
    let known = (["production"] + policy.environments.map(\.name) + copyNames).joined(separator: ", ")
    throw PolicyError(file: policy.file, keyPath: "storage", problem: "no storage named '\(name)' (known: \(known))")
  }

  public var copyNames: [String] { policy.storage.copies.indices.map { "copy-\($0 + 1)" } }

  /// Where copies go by default: every `storage.copies` entry, and every environment but
  /// production whose storage is another place than `source`'s.
  public func destinations(besides source: StorageSettings) -> [(name: String, settings: StorageSettings)] {
    policy.copyDestinations.filter { $0.settings.location != source.location }
  }
}
