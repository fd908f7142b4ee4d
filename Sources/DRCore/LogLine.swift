import Foundation
import Logging

/// Formats one log event, redacted, as a human line or a JSON object.
enum LogLine {
  static func human(event: LogEvent, metadata: Logger.Metadata) -> String {
    var line = "\(timestamp(compact: true)) \(levelName(event.level)) \(event.message.description.redacted)"
    for key in metadata.keys.sorted() {
      line += " \(key)=\(String(describing: metadata[key]!).redacted)"
    }
    return line.escapingControlCharacters
  }

  /// One JSON object: the process's context (`policy`, null when the line is about no
  /// policy, and `backup_id` once known), the line's metadata with its types, then
  /// `time`, `level`, `message` and `logger`.
  static func json(event: LogEvent, metadata: Logger.Metadata, label: String) -> String {
    json(level: event.level, message: event.message.description, metadata: metadata, label: label)
  }

  static func json(level: Logger.Level, message: String, metadata: Logger.Metadata, label: String) -> String {
    var fields: [String: Logger.MetadataValue?] = ["policy": nil]
    for (key, value) in LogContext.metadata { fields[key] = value }
    for (key, value) in metadata { fields[key] = value }
    fields["time"] = .string(timestamp(compact: false))
    fields["level"] = .string(level.rawValue)
    fields["message"] = .string(message)
    fields["logger"] = .string(label)
    return LogJSON.object(fields)
  }

  private static func levelName(_ level: Logger.Level) -> String {
    switch level {
    case .trace: "trace"
    case .debug: "debug"
    case .info: "info "
    case .notice: "note "
    case .warning: "warn "
    case .error: "error"
    case .critical: "crit "
    }
  }

  private static func timestamp(compact: Bool) -> String {
    let now = Date()
    if compact {
      return now.formatted(.iso8601.time(includingFractionalSeconds: false))
    }
    return now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }
}
