import Foundation
import Logging
import Synchronization

public enum LoggingSetup {
  /// The format and sink chosen by `bootstrap`, for the final error line.
  private static let chosen = Mutex<(format: LogFormat, sink: LogSink)?>(nil)

  /// Installs `DRLogHandler` for the whole process. Call once, early.
  /// A service (`dr worker`) logs to standard output, JSON lines when it is not a
  /// terminal, so log collectors read it as they read any container's output.
  public static func bootstrap(
    format: LogFormat, level: Logger.Level, jsonWhenPiped: Bool = false, service: Bool = false
  ) {
    let sink = service ? LogSink.standardOutput : LogSink.standardError
    let resolved = format.resolved(isTerminal: isatty(service ? 1 : 2) == 1, jsonWhenPiped: jsonWhenPiped || service)
    chosen.withLock { $0 = (resolved, sink) }
    LoggingSystem.bootstrap { label in
      DRLogHandler(label: label, level: level, format: resolved, sink: sink)
    }
  }

  /// Writes the error that ends the process as one JSON log line (`level` error, the
  /// error's `error_code`, the `exit_status` as a number, and the context's `policy` and
  /// `backup_id`) when logs are JSON lines: `format` when logging was not set up yet
  /// (the command line could not be parsed). Returns false, writing nothing, for human logs.
  public static func writeFinalError(
    _ message: String, code: String, exitStatus: Int32, format requested: LogFormat? = nil
  ) -> Bool {
    let (format, sink) = chosen.withLock { $0 } ?? (requested ?? .human, LogSink.standardError)
    guard format == .json else { return false }
    let metadata: Logger.Metadata = [
      "error_code": .string(code), "exit_status": .stringConvertible(Int(exitStatus)),
    ]
    sink.write(LogLine.json(level: .error, message: message, metadata: metadata, label: "dr") + "\n")
    return true
  }
}
