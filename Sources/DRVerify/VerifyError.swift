import DRCore

/// Why a verification could not run for reasons of its own host or settings: the scratch
/// target could not be made or removed (exit 1; the backup is not blamed).
public typealias VerifyError = ModuleError<VerifyErrorCode>

public enum VerifyErrorCode: ErrorCode {
  /// The scratch target could not be made or removed.
  case scratch

  public var category: FailureCategory { .database }
}
