import DRCore

/// Why a plan cannot be made or a failover step failed, with what to do.
public typealias FailoverError = ModuleError<FailoverErrorCode>

public enum FailoverErrorCode: ErrorCode {
  case noStack
  case noBackup
  case step(String)
  case driver
  /// No PostgreSQL programs of the dump's major (or newer) for the environment's cluster.
  case noServer
}
