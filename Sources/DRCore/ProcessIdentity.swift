import Foundation

/// A process named so that a later process can tell whether it still runs: its pid and its
/// start time (in clock ticks since boot, from `/proc/PID/stat`), as `PID.START`. A pid alone
/// is not enough, since pids are reused; the pair is unique for the life of the machine.
///
/// dr puts it in the names of what it leaves in the temporary directory while it works
/// (scratch clusters, temporary dumps), so that what a killed dr left can be told from what
/// a running one still uses.
public struct ProcessIdentity: Sendable, Hashable, CustomStringConvertible {
  public let pid: Int32
  public let startTime: UInt64

  public init(pid: Int32, startTime: UInt64) {
    self.pid = pid
    self.startTime = startTime
  }

  /// This process.
  public static let current: ProcessIdentity = {
    let pid = getpid()
    return ProcessIdentity(pid: pid, startTime: startTime(of: pid) ?? 0)
  }()

  public var description: String { "\(pid).\(startTime)" }

  /// Parses `PID.START`.
  public init?(_ text: some StringProtocol) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, let start = UInt64(parts[1]) else { return nil }
    self.init(pid: pid, startTime: start)
  }

  /// Whether the process still runs: a process with this pid exists, is not a zombie, and
  /// started at the same time.
  public var isRunning: Bool {
    guard let stat = Self.stat(of: pid) else { return false }
    return stat.state != "Z" && stat.startTime == startTime
  }

  /// The start time of `pid`, if it exists.
  public static func startTime(of pid: Int32) -> UInt64? { stat(of: pid)?.startTime }

  /// The state letter of `pid` (R running, S sleeping, Z zombie…), if it exists.
  public static func state(of pid: Int32) -> Character? { stat(of: pid)?.state }

  /// The state letter and start time from `/proc/PID/stat`. The command name (field 2) may
  /// hold spaces and parentheses, so fields are counted from the last `)`.
  static func stat(of pid: Int32) -> (state: Character, startTime: UInt64)? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
    let text = String(decoding: data, as: UTF8.self)
    guard let close = text.lastIndex(of: ")") else { return nil }
    // After ")": state is field 3, starttime is field 22.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
    return (state, start)
  }
}
