import DRCore
import Foundation

/// Everything that can go wrong talking to PostgreSQL or running its tools.
public typealias PostgresError = ModuleError<PostgresErrorCode>

public enum PostgresErrorCode: ErrorCode {
  case connection
  case query
  case toolMissing
  case toolTooOld
  case toolFailed

  public var category: FailureCategory { .database }

  /// libpq's messages span lines ("...failed: Connection refused\n\tIs the server
  /// running..."); one line reads better in a report and a log.
  public static func tidy(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " ")
  }
}
