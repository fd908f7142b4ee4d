import Foundation
import Logging

public enum LoggingSetup {
  /// Installs `DRLogHandler` for the whole process. Call once, early.
  /// A service (`dr worker`) logs to standard output, JSON lines when it is not a
  /// terminal, so log collectors read it as they read any container's output.
  public static func bootstrap(
    format: LogFormat, level: Logger.Level, jsonWhenPiped: Bool = false, service: Bool = false
  ) {
    let sink = service ? LogSink.standardOutput : LogSink.standardError
    let resolved = format.resolved(isTerminal: isatty(service ? 1 : 2) == 1, jsonWhenPiped: jsonWhenPiped || service)
    LoggingSystem.bootstrap { label in
      DRLogHandler(label: label, level: level, format: resolved, sink: sink)
    }
  }
}
