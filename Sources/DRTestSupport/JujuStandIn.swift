import Foundation

/// A recording stand-in for juju (juju cannot be installed here): a shell script named
/// `juju` in a directory of its own, first on the PATH given to the driver (the test
/// process's environment is left alone). It appends each call's arguments to a log, one
/// line a call, tab-separated, and answers like juju: `wait-for` and `status` print a
/// status, `scp` copies its file aside, `ssh` answers the restore's probe of the database
/// as `probe` says, prints nothing for the marker's COMMENT, row counts for the other
/// psql and a body for curl. Calls whose arguments start with a `failing` prefix write its
/// message to standard error and exit 1.
public struct JujuStandIn: Sendable {
  /// How the PostgreSQL unit answers the restore's probe (`psql … -c "SELECT 'dr-probe', …"`).
  public enum Probe: Sendable {
    /// psql's "database … does not exist" (the name after `-d`), exit status 2.
    case absent
    /// The database is there with no user objects and no comment.
    case empty
    /// dr's marker of `backup`, over `objects` user objects.
    case marked(backup: String, objects: Int)
    /// `objects` user objects and `comment` (empty: none).
    case holding(objects: Int, comment: String)
    /// `message` on standard error, exit status 1 (juju or ssh failing, say).
    case failing(String)
    /// `text` on standard output, exit status 0.
    case answering(String)

    var script: String {
      switch self {
      case .absent:
        return #"db=''; prev=''; for a in "$@"; do [ "$prev" = -d ] && db=$a; prev=$a; done; "#
          + #"printf 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: "#
          + #"FATAL:  database "%s" does not exist\n' "$db" >&2; exit 2"#
      case .empty: return "printf '%s\\n' 'dr-probe|0|'"
      case .marked(let backup, let objects):
        return "printf '%s\\n' " + JujuStandIn.quoted("dr-probe|\(objects)|dr failover restore of \(backup)")
      case .holding(let objects, let comment):
        return "printf '%s\\n' " + JujuStandIn.quoted("dr-probe|\(objects)|\(comment)")
      case .failing(let message): return "printf '%s\\n' \(JujuStandIn.quoted(message)) >&2; exit 1"
      case .answering(let text): return "printf '%s\\n' \(JujuStandIn.quoted(text))"
      }
    }
  }

  public let directory: String
  public var log: String { "\(directory)/juju.log" }
  /// Where `juju scp` copies the file it is given.
  public var uploaded: String { "\(directory)/uploaded.pgc" }

  public init(
    failing: [(prefix: String, message: String)] = [], counts: String = "public|accounts|3\npublic|orders|5",
    probe: Probe = .absent
  ) throws {
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
            *dr-probe*) \(probe.script) ;;
            *COMMENT\\ ON\\ DATABASE*) ;;
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

  /// `text` as one single-quoted shell word.
  static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }

  public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
