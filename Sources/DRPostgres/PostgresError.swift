import DRCore
import Foundation

/// Everything that can go wrong talking to PostgreSQL or running its tools.
public struct PostgresError: DRError, Equatable {
  public enum Code: Sendable, Equatable {
    case connection
    case query
    case toolMissing
    case toolTooOld
    case toolFailed
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    // libpq's messages span lines ("...failed: Connection refused\n\tIs the server
    // running..."); one line reads better in a report and a log.
    self.message = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " ")
  }

  public var exitStatus: ExitStatus { .failure }
  public var category: FailureCategory { .database }
  public var description: String { message.redacted }
}
