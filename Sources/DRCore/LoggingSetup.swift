import Foundation
import Logging

public enum LoggingSetup {
  /// Installs `DRLogHandler` for the whole process. Call once, early.
  public static func bootstrap(format: LogFormat, level: Logger.Level, jsonWhenPiped: Bool = false) {
    let resolved = format.resolved(isTerminal: isatty(2) == 1, jsonWhenPiped: jsonWhenPiped)
    LoggingSystem.bootstrap { label in
      DRLogHandler(label: label, level: level, format: resolved)
    }
  }
}
