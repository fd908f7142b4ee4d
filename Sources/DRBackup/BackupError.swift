import DRCore
import Foundation

/// Why a backup, a listing or a prune could not be done.
public struct BackupError: DRError {
  public enum Code: Sendable, Equatable {
    case locked
    /// The lease object is there but is not a lease (garbage, or a page from a server that
    /// is not S3).
    case leaseUnreadable
    case dumpFailed
    case interrupted(signal: Int32)
    case manifestUnreadable
    case notFound
    case invalid
    /// A key cannot be read, or none of the policy's keys opens a backup.
    case key
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var exitStatus: ExitStatus {
    switch code {
    case .interrupted(let signal): signal == SIGTERM ? .terminated : .interrupted
    default: .failure
    }
  }

  public var category: FailureCategory {
    switch code {
    case .dumpFailed: .database
    case .manifestUnreadable: .corrupt
    case .notFound: .storage
    case .locked, .leaseUnreadable, .interrupted, .invalid, .key: .other
    }
  }

  public var description: String { message.redacted }
}
