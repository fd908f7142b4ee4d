import DRCore

/// Why a plan cannot be made or a failover step failed, with what to do.
public typealias FailoverError = ModuleError<FailoverErrorCode>

public enum FailoverErrorCode: ErrorCode {
  case noStack
  case noBackup
  case step(String)
  case driver
}
