import DRCore

/// Why a verification could not run for reasons of its own host or settings: the scratch
/// target could not be made or removed (exit 1; the backup is not blamed).
public struct VerifyError: DRError {
  public enum Code: Sendable, Equatable {
    /// The scratch target could not be made or removed.
    case scratch
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var exitStatus: ExitStatus { .failure }
  public var description: String { message.redacted }
}
