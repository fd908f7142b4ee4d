import DRCore

/// Why a lease could not be taken, or stopped being ours.
public struct LeaseError: DRError {
  public enum Code: Sendable, Equatable {
    /// The object at the lease's key is not a lease (garbage, or a page from a server that
    /// is not S3).
    case unreadable
    /// The lease changed hands every time it was looked at while being taken.
    case contended
    /// The lease stopped being ours while we held it: another holder took it over, it was
    /// deleted or replaced, or it could not be renewed before its announced expiry.
    case lost
  }

  public let code: Code
  public let message: String
  /// For `.lost`: who holds the lease now, when that is known.
  public let holder: String?

  public init(_ code: Code, _ message: String, holder: String? = nil) {
    self.code = code
    self.message = message
    self.holder = holder
  }

  public var exitStatus: ExitStatus { .failure }
  public var errorCode: String { "lease.\(code)" }
  public var category: FailureCategory { code == .unreadable ? .storage : .other }

  public var description: String { message.redacted }
}
