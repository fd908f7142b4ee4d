import Foundation
import Logging
import Synchronization

/// Shows how a long transfer is going, on a `StatusLine`: bytes done, a bar and an ETA
/// when the total is known, the rate.
public final class ProgressReporter: Sendable {
  private let label: String
  private let line: StatusLine
  private let started = ContinuousClock.now
  private let state: Mutex<(done: Int64, total: Int64?)>

  public init(label: String, total: Int64? = nil, logger: Logger, logInterval: Duration = .seconds(10)) {
    self.label = label
    self.line = StatusLine(logger: logger, logInterval: logInterval)
    self.state = Mutex((0, total))
  }

  /// Records progress; cheap enough to call for every buffer.
  public func update(done: Int64, total: Int64? = nil) {
    let snapshot = state.withLock { state in
      state.done = done
      if let total { state.total = total }
      return state
    }
    line.show { describe(done: snapshot.done, total: snapshot.total) }
  }

  /// Clears the bar (the caller prints its own summary).
  public func finish() { line.clear() }

  private func describe(done: Int64, total: Int64?) -> String {
    let elapsed = ContinuousClock.now - started
    let seconds = max(0.001, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    let rate = Double(done) / seconds
    var text = "\(label) \(ByteCount.format(done))"
    if let total, total > 0 {
      let fraction = min(1, Double(done) / Double(total))
      text += " / \(ByteCount.format(total)) \(Self.bar(fraction)) \(Int(fraction * 100))%"
      if rate > 0, done < total { text += " ETA \(Int(Double(total - done) / rate))s" }
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
