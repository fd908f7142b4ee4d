import Foundation

/// Where a local failover keeps its cluster, logs and state: `$DR_STATE_DIR`, else
/// /var/lib/dr when running as root, else ~/.local/state/dr; one directory per policy and
/// environment.
public enum StateDirectory {
  public static func forEnvironment(policy: String, environment: String, variables: [String: String]) -> String {
    "\(root(variables))/\(policy)-\(environment)"
  }

  public static func root(_ variables: [String: String]) -> String {
    if let dir = variables["DR_STATE_DIR"], !dir.isEmpty { return dir }
    if geteuid() == 0 { return "/var/lib/dr" }
    return (variables["HOME"] ?? NSTemporaryDirectory()) + "/.local/state/dr"
  }

  /// A drill's own directory: beside the environments', never one of theirs.
  public static func forDrill(policy: String, environment: String, variables: [String: String]) -> String {
    "\(root(variables))/drill-\(policy)-\(environment)-\(UInt32.random(in: 0...UInt32.max))"
  }
}
