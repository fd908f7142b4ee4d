import DRCore
import Foundation

/// Processes found through /proc: a child of a given name (to kill pg_dump in tests), its
/// state, a scratch cluster's server, and stray processes that mention a text.
public enum ProcessTree {
  public static func children(of pid: pid_t) -> [pid_t] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    return tasks.flatMap { task in
      ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
        .split(separator: " ").compactMap { pid_t($0) }
    }
  }

  public static func name(of pid: pid_t) -> String? {
    (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Alive and not a zombie (a test runner that adopts orphans may not reap them).
  public static func isRunning(_ pid: pid_t) -> Bool { Daemon.isRunning(pid) }

  /// The state letter of `/proc/PID/stat` (R running, S sleeping, Z zombie...).
  public static func state(of pid: pid_t) -> String? { ProcessIdentity.state(of: pid).map(String.init) }

  /// The server of the scratch cluster in `directory`, once it runs: once postmaster.pid
  /// names a positive pid (initdb's bootstrap backend writes one too, with a negative pid,
  /// and the file is briefly empty while written).
  public static func scratchServer(in directory: String) -> pid_t? {
    let text = (try? String(contentsOfFile: "\(directory)/data/postmaster.pid", encoding: .utf8)) ?? ""
    return pid_t(text.split(separator: "\n").first ?? "").flatMap { $0 > 0 ? $0 : nil }
  }

  /// The arguments a process was started with.
  public static func arguments(of pid: pid_t) -> [String] {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
    return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Waits (at most `limit`) for a child of `pid` named `name` whose arguments include
  /// `argument` (dr also runs `pg_dump --version`, which must not be mistaken for the dump).
  public static func waitForChild(
    of pid: pid_t, named name: String, with argument: String = "--format=custom", limit: Duration = .seconds(30)
  ) async -> pid_t? {
    var found: pid_t?
    _ = await eventually(limit: limit, every: .milliseconds(50)) {
      found = children(of: pid).first { self.name(of: $0) == name && arguments(of: $0).contains(argument) }
      return found != nil
    }
    return found
  }

  /// `all(mentioning:)` on a thread of its own: it reads every /proc entry.
  public static func scan(mentioning text: String) async -> [pid_t] {
    (try? await runBlocking("dr-test-proc") { all(mentioning: text) }) ?? []
  }

  /// Live processes (not zombies, not this one) whose command line or title contains `text`.
  public static func all(mentioning text: String) -> [pid_t] {
    let own = getpid()
    let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    return pids.filter { pid in
      let line = arguments(of: pid).joined(separator: " ")
      // The shared server's autovacuum may visit any database: it is not dr's.
      return pid != own && isRunning(pid) && line.contains(text) && !line.contains("autovacuum")
    }
  }
}
