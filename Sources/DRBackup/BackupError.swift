import DRCore
import Foundation

/// Why a backup, a listing or a prune could not be done.
public typealias BackupError = ModuleError<BackupErrorCode>

public enum BackupErrorCode: ErrorCode {
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

  public var exitStatus: ExitStatus {
    switch self {
    case .interrupted(let signal): signal == SIGTERM ? .terminated : .interrupted
    default: .failure
    }
  }

  public var category: FailureCategory {
    switch self {
    case .dumpFailed: .database
    case .manifestUnreadable: .corrupt
    case .notFound: .storage
    case .locked, .leaseUnreadable, .interrupted, .invalid, .key: .other
    }
  }
}
