import DRCore

/// Why encryption or decryption failed. Messages name segments and sizes, never key
/// material: they reach logs and verification records as they are.
public typealias CryptoError = ModuleError<CryptoErrorCode>

public enum CryptoErrorCode: ErrorCode {
  /// A segment's tag did not match: altered, moved, from elsewhere, or the wrong key.
  case authentication
  /// The data ends where no final segment ends.
  case truncated
  /// A parameter outside what the scheme allows (sizes, KDF costs, key length).
  case invalidArgument
  /// The key derivation function failed (out of memory, parameters refused).
  case keyDerivation

  public var category: FailureCategory { .corrupt }
}
