import DRCore
import DRPolicy
import Foundation

/// The policies a worker runs: every `*.yaml`/`*.yml` of a directory, or the files given.
/// Loaded whole or not at all: one invalid policy fails the load (at start, the worker
/// exits 2; on SIGHUP, the error is logged and the policies already running are kept).
public struct PolicySet: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public let file: String
    public let policy: Policy
  }

  public let entries: [Entry]

  /// The policy files of `directory`, sorted by name.
  public static func files(in directory: String) throws(PolicyError) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      throw PolicyError(file: directory, problem: "cannot read the policy directory")
    }
    let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(directory)/\($0)" }
    guard !files.isEmpty else {
      throw PolicyError(file: directory, problem: "no policy (*.yaml) here: see examples/policy.yaml")
    }
    return files
  }

  /// Loads `files`; two policies may not share a name (they would share bucket records).
  public static func load(files: [String], environment: [String: String]) throws(PolicyError) -> PolicySet {
    var entries: [Entry] = []
    for file in files {
      let policy = try PolicyLoader(environment: environment).load(path: file)
      if let other = entries.first(where: { $0.policy.name == policy.name }) {
        throw PolicyError(file: file, keyPath: "name", problem: "'\(policy.name)' is also the name of \(other.file)")
      }
      entries.append(Entry(file: file, policy: policy))
    }
    for entry in entries { SecretRegistry.shared.register(contentsOf: entry.policy.secrets) }
    return PolicySet(entries: entries)
  }
}
