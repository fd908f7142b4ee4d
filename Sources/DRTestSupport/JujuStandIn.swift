import Foundation

/// A recording stand-in for juju (juju cannot be installed here): a shell script named
/// `juju` in a directory of its own, first on the PATH given to the driver (the test
/// process's environment is left alone). It appends each call's arguments to a log, one
/// line a call, tab-separated, and answers like juju: `wait-for` and `status` print a
/// status, `scp` copies its file aside, `ssh` prints row counts for psql and a body for
/// curl. Calls whose arguments start with a `failing` prefix write its message to
/// standard error and exit 1.
public struct JujuStandIn: Sendable {
  public let directory: String
  public var log: String { "\(directory)/juju.log" }
  /// Where `juju scp` copies the file it is given.
  public var uploaded: String { "\(directory)/uploaded.pgc" }

  public init(failing: [(prefix: String, message: String)] = [], counts: String = "public|accounts|3\npublic|orders|5")
    throws
  {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("dr-juju-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: "\(directory)/bin", withIntermediateDirectories: true)
    let failures = failing.map { "  '\($0.prefix)'*) printf '%s\\n' '\($0.message)' >&2; exit 1 ;;" }
    let script = """
      #!/bin/sh
      # A recording stand-in for juju.
      line=''; sep=''; tab=$(printf '\\t')
      for arg in "$@"; do line="$line$sep$arg"; sep=$tab; done
      printf '%s\\n' "$line" >> '\(log)'
      case "$*" in
      \(failures.joined(separator: "\n"))
      esac
      case "$1" in
        wait-for) echo "application \\"$5\\" is active" ;;
        status) printf 'Model  Controller  Cloud/Region  Version\\n%s  dr  localhost  3.6.4\\n' "$3" ;;
        scp) cp "$4" '\(uploaded)' || exit 1 ;;
        ssh)
          case "$*" in
            *psql*) printf '\(counts)\\n' ;;
            *curl*) echo '{"status":"ok","accounts":3}' ;;
          esac ;;
      esac
      exit 0

      """
    try script.write(toFile: "\(directory)/bin/juju", atomically: true, encoding: .utf8)
    guard chmod("\(directory)/bin/juju", 0o755) == 0 else { throw CocoaError(.fileWriteNoPermission) }
  }

  /// The driver's environment: the stand-in first on PATH.
  public var environment: [String: String] { ["PATH": "\(directory)/bin:/usr/bin:/bin", "HOME": directory] }

  /// Every call so far, its arguments in order.
  public func calls() throws -> [[String]] {
    guard FileManager.default.fileExists(atPath: log) else { return [] }
    return try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    }
  }

  public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
