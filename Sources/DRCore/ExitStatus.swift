/// The exit codes of the command line contract (DESIGN.md, "Exit codes").
public enum ExitStatus: Int32, Sendable {
  case success = 0
  /// The operation failed.
  case failure = 1
  /// Bad usage or an invalid policy.
  case usage = 2
  /// A verification ran and the backup failed it.
  case verificationFailed = 3
  /// Interrupted by SIGINT, after cleaning up.
  case interrupted = 130
  /// Terminated by SIGTERM, after cleaning up.
  case terminated = 143
}

/// An error that knows which exit status it stands for.
///
/// Every module has one error type; its `description` is meant for people and never
/// contains a secret. The executable maps errors to exit codes through this protocol.
public protocol DRError: Error, CustomStringConvertible, Sendable {
  var exitStatus: ExitStatus { get }
}
