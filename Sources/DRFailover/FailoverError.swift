import DRCore

/// Why a plan cannot be made or a failover step failed, with what to do.
public struct FailoverError: DRError {
  public enum Code: Sendable, Equatable {
    case noStack
    case noBackup
    case step(String)
    case driver
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
