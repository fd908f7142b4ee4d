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

  static func json(event: LogEvent, metadata: Logger.Metadata, label: String) -> String {
    var object: [String: String] = [:]
    for (key, value) in metadata { object[key] = String(describing: value).redacted }
    object["time"] = timestamp(compact: false)
    object["level"] = event.level.rawValue
    object["message"] = event.message.description.redacted
    object["logger"] = label
    let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? #"{"level":"error","message":"unencodable log line"}"#
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
