import Foundation
import Logging
import Synchronization

/// A line of status for long work: redrawn in place on a terminal (at most 5 times a
/// second), logged every `logInterval` otherwise (cron mail, journald).
public final class StatusLine: Sendable {
  private let isTerminal: Bool
  private let logInterval: Duration
  private let logger: Logger
  private let last = Mutex<(drawn: ContinuousClock.Instant?, logged: ContinuousClock.Instant, shown: Bool)>(
    (nil, .now, false))

  public init(logger: Logger, logInterval: Duration = .seconds(10), isTerminal: Bool = isatty(2) == 1) {
    self.logger = logger
    self.logInterval = logInterval
    self.isTerminal = isTerminal
  }

  /// Shows `text` if enough time passed since the last one; `text` is built only then.
  public func show(_ text: () -> String) {
    let now = ContinuousClock.now
    let due = last.withLock { state -> Bool in
      if isTerminal {
        guard state.drawn.map({ now - $0 >= .milliseconds(200) }) ?? true else { return false }
        state.drawn = now
        state.shown = true
      } else {
        guard now - state.logged >= logInterval else { return false }
        state.logged = now
      }
      return true
    }
    guard due else { return }
    if isTerminal {
      FileHandle.standardError.write(Data("\r\u{1B}[2K\(text().redacted)".utf8))
    } else {
      logger.info("\(text())")
    }
  }

  /// Clears the line on a terminal, before a summary is printed.
  public func clear() {
    let shown = last.withLock { state in
      defer { state.shown = false }
      return state.shown
    }
    if isTerminal, shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
  }
}
