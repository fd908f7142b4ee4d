import Foundation

/// Finds the policy file that `--policy` names.
///
/// A value with a `/` or ending in `.yaml`/`.yml` is a path. Otherwise it is a name,
/// looked up as `NAME.yaml` in the policy directories: `$DR_POLICY_DIR` when set, then
/// `./policies`, then `/etc/dr/policies`. Without `--policy`, the only policy of the
/// first directory that has any is the default.
public struct PolicyLocator: Sendable {
  public var directories: [String]

  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    var directories: [String] = []
    if let dir = environment["DR_POLICY_DIR"], !dir.isEmpty { directories.append(dir) }
    directories += ["policies", "/etc/dr/policies"]
    self.directories = directories
  }

  public init(directories: [String]) {
    self.directories = directories
  }

  public func resolve(_ argument: String?) throws(PolicyError) -> String {
    guard let argument, !argument.isEmpty else { return try onlyPolicy() }
    if argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") {
      guard FileManager.default.isReadableFile(atPath: argument) else {
        throw PolicyError(file: argument, problem: "no such policy file")
      }
      return argument
    }
    for directory in directories {
      for ext in ["yaml", "yml"] {
        let path = "\(directory)/\(argument).\(ext)"
        if FileManager.default.isReadableFile(atPath: path) { return path }
      }
    }
    throw PolicyError(
      file: "\(argument).yaml",
      problem: "no policy named '\(argument)' in \(directories.joined(separator: ", ")); pass a path or a known name")
  }

  private func onlyPolicy() throws(PolicyError) -> String {
    for directory in directories {
      let names = policyNames(in: directory)
      if names.count == 1 { return "\(directory)/\(names[0])" }
      if names.count > 1 {
        let list = names.map { ($0 as NSString).deletingPathExtension }.joined(separator: ", ")
        throw PolicyError(file: directory, problem: "several policies (\(list)): choose one with --policy NAME")
      }
    }
    throw PolicyError(
      file: directories.joined(separator: ", "),
      problem:
        "no policy found: pass --policy PATH, or create policies/NAME.yaml (see examples/policy.yaml for every key)")
  }

  private func policyNames(in directory: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
  }
}
