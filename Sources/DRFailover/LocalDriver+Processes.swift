import DRCore
import DRPolicy
import Foundation
import Logging

/// The stack's processes by identity: each pid is recorded with its start time, and a
/// process is signalled only while it is still the one dr started. A pid the system has
/// since given to another process is left alone, forgotten, and said so.
extension LocalDriver {
  /// What a component's recorded pid is now.
  enum Tracked {
    /// Nothing recorded, or the process is gone.
    case none
    /// The process dr started, still running.
    case running(ProcessIdentity)
    /// The pid names a process dr cannot be sure it started: why.
    case stranger(String)
  }

  /// The recorded process of `name`, checked against what runs now. A state of an older dr
  /// has no start time: the process counts as dr's only when its command line is what
  /// `expected` accepts (the command dr starts for that component).
  func tracked(_ name: String, expected: (([String]) -> Bool)?) -> Tracked {
    guard let pid = state.pids[name] else { return .none }
    guard Daemon.isRunning(pid), let start = ProcessIdentity.startTime(of: pid) else { return .none }
    if let recorded = state.startTimes[name] {
      return recorded == start
        ? .running(ProcessIdentity(pid: pid, startTime: start))
        : .stranger(
          "pid \(pid), recorded for \(name), now names another process (\(Daemon.name(of: pid)), started at tick "
            + "\(start), not \(recorded))")
    }
    if let expected, expected(Daemon.arguments(of: pid)) {
      return .running(ProcessIdentity(pid: pid, startTime: start))
    }
    return .stranger(
      "pid \(pid), recorded for \(name) by an older dr without its start time, runs \(Daemon.name(of: pid)), whose "
        + "command line is not the one dr starts for \(name)")
  }

  /// Records a process just started for `name`, with its start time.
  func track(_ name: String, _ pid: pid_t) throws {
    let start = ProcessIdentity.startTime(of: pid)
    try record {
      $0.pids[name] = pid
      $0.startTimes[name] = start
    }
  }

  /// Stops `name`'s process when it is still the one dr started, and forgets it. Another
  /// process under its pid is left running, with a warning.
  func release(_ name: String, expected: (([String]) -> Bool)?) async {
    switch tracked(name, expected: expected) {
    case .running(let process): await Daemon.stop(process)
    case .stranger(let why): logger.warning("\(why): left alone, and forgotten from \(directory)/state.json")
    case .none: break
    }
    try? record {
      $0.pids[name] = nil
      $0.startTimes[name] = nil
    }
  }

  /// Whether a command line is the one dr starts for `component` (for states of older drs).
  func expectedCommand(_ component: StackComponent) -> ([String]) -> Bool {
    switch component.kind {
    case .postgresql: return { _ in false }
    case .memcached:
      let expected = memcachedArguments(component)
      return { Self.sameCommand($0, expected) }
    case .haproxy:
      let expected = haproxyArguments
      return { Self.sameCommand($0, expected) }
    case .app:
      // Older drs' DATABASE_URL had no password: a word that holds it matches any.
      var values = stackValues(component, databaseURL: nil)
      values["DATABASE_URL"] = nil
      return { argv in component.command?.matches(argv, values: values) ?? false }
    }
  }

  /// The same arguments, the program compared by name (it is found on PATH).
  static func sameCommand(_ argv: [String], _ expected: [String]) -> Bool {
    guard argv.count == expected.count, let program = argv.first, let wanted = expected.first else { return false }
    return (program as NSString).lastPathComponent == (wanted as NSString).lastPathComponent
      && argv.dropFirst() == expected.dropFirst()
  }

  func memcachedArguments(_ component: StackComponent) -> [String] {
    ["memcached", "-l", "127.0.0.1", "-p", "\(component.port)", "-U", "0", "-m", "\(component.memoryMB ?? 64)"]
      + (geteuid() == 0 ? ["-u", "nobody"] : [])
  }

  var haproxyArguments: [String] { ["haproxy", "-f", "\(directory)/haproxy.cfg"] }
}
