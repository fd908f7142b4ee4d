import Logging
import Synchronization

/// Keeps the messages logged at `level` and above, for tests that check what was said.
public final class LogCapture: Sendable {
  private let lines = Mutex<[String]>([])
  private let level: Logger.Level

  public init(level: Logger.Level = .warning) {
    self.level = level
  }

  public var messages: [String] { lines.withLock { $0 } }

  public var logger: Logger {
    Logger(label: "dr.test") { [self] _ in Handler(capture: self, logLevel: level) }
  }

  struct Handler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    init(capture: LogCapture, logLevel: Logger.Level) {
      self.capture = capture
      self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      capture.lines.withLock { $0.append("\(event.message)") }
    }
  }
}
