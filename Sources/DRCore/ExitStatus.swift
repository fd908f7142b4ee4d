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
  /// Where a failure comes from, as a bounded category (metrics label it by this); each
  /// module's error says it of itself.
  var category: FailureCategory { get }
  /// What went wrong, as a stable dotted name (`backup.locked`, `policy.invalid`,
  /// `s3.server.AccessDenied`): the `code` of `dr … --json`'s failure object, for scripts
  /// to branch on. Never a secret, never a value read from input beyond a server's own code.
  var errorCode: String { get }
}

extension DRError {
  public var category: FailureCategory { .other }
  public var errorCode: String { "error" }
}

/// Why something failed, as a category: bounded, so metrics can label by it (error
/// messages name objects, hosts and backup IDs: as labels they would make a new series per
/// failure), and still saying where to look.
public enum FailureCategory: String, Sendable, Codable, CaseIterable {
  /// S3, the bucket, the network to it.
  case storage
  /// PostgreSQL: connecting, pg_dump, pg_restore, the scratch cluster.
  case database
  /// The stored backup does not match its manifest, or failed its verification.
  case corrupt
  case timeout
  case other

  /// The category of any error: its own when it is dr's, else `other`.
  public init(of error: any Error) {
    self = (error as? any DRError)?.category ?? .other
  }
}
