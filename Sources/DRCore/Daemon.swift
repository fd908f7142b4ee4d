import CDRSystem
import Foundation

/// Starts a long-running process that outlives dr (the stack of a failover): its own
/// session, standard input from /dev/null, output appended to a log file, no inherited
/// descriptors. Stopped by identity (pid and start time, so a reused pid is never
/// signalled): SIGTERM, a grace period, SIGKILL.
public enum Daemon {
  public static func start(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String?, log: String
  ) throws -> pid_t {
    try Spawn.start(
      executable, arguments, environment: environment, directory: directory, streams: .log(log), detached: true)
  }

  /// Whether `pid` is a live process (not a zombie).
  public static func isRunning(_ pid: pid_t) -> Bool {
    guard pid > 0, kill(pid, 0) == 0 else { return false }
    return ProcessIdentity.state(of: pid) != "Z"
  }

  /// `signal` (SIGTERM), then SIGKILL after `grace`; reaps it when it is our child.
  public static func stop(_ pid: pid_t, signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async {
    guard isRunning(pid) else { return }
    signalGroup(pid, signal)
    let deadline = ContinuousClock.now + grace
    while isRunning(pid), ContinuousClock.now < deadline {
      var status: Int32 = 0
      _ = waitpid(pid, &status, WNOHANG)
      try? await Task.sleep(for: .milliseconds(100))
    }
    if isRunning(pid) { signalGroup(pid, SIGKILL) }
    var status: Int32 = 0
    _ = waitpid(pid, &status, WNOHANG)
  }

  /// Stops `process` as `stop(_:)` does, signalling it only while it is still that process
  /// (same pid, same start time): a pid the system gave to another process meanwhile is
  /// left alone.
  public static func stop(_ process: ProcessIdentity, signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async {
    guard process.isRunning else { return }
    signalGroup(process.pid, signal)
    let deadline = ContinuousClock.now + grace
    while process.isRunning, ContinuousClock.now < deadline {
      var status: Int32 = 0
      _ = waitpid(process.pid, &status, WNOHANG)
      try? await Task.sleep(for: .milliseconds(100))
    }
    if process.isRunning { signalGroup(process.pid, SIGKILL) }
    var status: Int32 = 0
    _ = waitpid(process.pid, &status, WNOHANG)
  }

  /// `signal` to the process group `pid` leads (what dr starts leads its own: a daemon's
  /// workers go with it), or to `pid` alone when it leads none.
  static func signalGroup(_ pid: pid_t, _ signal: Int32) {
    if getpgid(pid) == pid { kill(-pid, signal) } else { kill(pid, signal) }
  }

  /// The arguments `pid` runs with (`/proc/PID/cmdline`); empty when it cannot be read.
  public static func arguments(of pid: pid_t) -> [String] {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
    return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
      String(decoding: $0, as: UTF8.self)
    }
  }

  /// The process's name (`/proc/PID/comm`, at most 15 characters), for messages.
  public static func name(of pid: pid_t) -> String {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?"
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
