import Foundation
import Logging
import Synchronization

/// Shows how a long transfer is going: a bar redrawn on standard error when it is a
/// terminal, a log line every `logInterval` otherwise (cron mail, journald).
public final class ProgressReporter: Sendable {
  private struct State {
    var done: Int64 = 0
    var total: Int64?
    var lastDraw: ContinuousClock.Instant?
    var lastLog: ContinuousClock.Instant
    var finished = false
  }

  private let label: String
  private let isTerminal: Bool
  private let logInterval: Duration
  private let logger: Logger
  private let started = ContinuousClock.now
  private let state: Mutex<State>

  public init(label: String, total: Int64? = nil, logger: Logger, logInterval: Duration = .seconds(10)) {
    self.label = label
    self.isTerminal = isatty(2) == 1
    self.logInterval = logInterval
    self.logger = logger
    self.state = Mutex(State(total: total, lastLog: ContinuousClock.now))
  }

  /// Records progress; cheap enough to call for every buffer.
  public func update(done: Int64, total: Int64? = nil) {
    let now = ContinuousClock.now
    let line: String? = state.withLock { state in
      state.done = done
      if let total { state.total = total }
      if isTerminal {
        guard state.lastDraw.map({ now - $0 >= .milliseconds(200) }) ?? true else { return nil }
        state.lastDraw = now
      } else {
        guard now - state.lastLog >= logInterval else { return nil }
        state.lastLog = now
      }
      return describe(state, now: now)
    }
    guard let line else { return }
    if isTerminal {
      FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
    } else {
      logger.info("\(line)")
    }
  }

  /// Clears the bar (the caller prints its own summary).
  public func finish() {
    let wasDrawn = state.withLock { state in
      defer { state.finished = true }
      return !state.finished && state.lastDraw != nil
    }
    if isTerminal, wasDrawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
  }

  private func describe(_ state: State, now: ContinuousClock.Instant) -> String {
    let seconds = max(
      0.001, Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18)
    let rate = Double(state.done) / seconds
    var text = "\(label) \(ByteCount.format(state.done))"
    if let total = state.total, total > 0 {
      let fraction = min(1, Double(state.done) / Double(total))
      text += " / \(ByteCount.format(total)) \(Self.bar(fraction)) \(Int(fraction * 100))%"
      if rate > 0, state.done < total { text += " ETA \(Int(Double(total - state.done) / rate))s" }
    }
    return text + " \(ByteCount.format(Int64(rate)))/s"
  }

  private static func bar(_ fraction: Double) -> String {
    let width = 24
    let filled = Int(fraction * Double(width))
    return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
  }
}

/// Byte counts for people: `512 B`, `12.3 MiB`, `1.50 GiB`.
public enum ByteCount {
  public static func format(_ bytes: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
    return String(format: "%.\(digits)f", value) + " " + units[unit]
  }
}
