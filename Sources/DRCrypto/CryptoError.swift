/// Why encryption or decryption failed. Messages name segments and sizes, never key
/// material: they reach logs and verification records as they are.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Code: Sendable, Equatable {
    /// A segment's tag did not match: altered, moved, from elsewhere, or the wrong key.
    case authentication
    /// The data ends where no final segment ends.
    case truncated
    /// A parameter outside what the scheme allows (sizes, KDF costs, key length).
    case invalidArgument
    /// The key derivation function failed (out of memory, parameters refused).
    case keyDerivation
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
