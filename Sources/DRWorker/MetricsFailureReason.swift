import DRCore

/// Why a job failed, as a category: the `reason` label of `dr_job_failures_total`. The
/// `dr` child says it in its JSON (`category`, from its error's own `FailureCategory`);
/// when it could not (it crashed, or printed nothing), the text and exit status tell.
public typealias JobFailureReason = FailureCategory

extension FailureCategory {
  /// The category of a failure known only by its text and, for a child process, its exit status.
  public init(message: String, exitStatus: Int32? = nil) {
    let text = message.lowercased()
    if exitStatus == 124 || Self.mentionsTimeout(text) {
      self = .timeout
    } else if exitStatus == ExitStatus.verificationFailed.rawValue {
      self = .corrupt
    } else {
      self = Self.wordRules.first { rule in rule.words.contains { text.contains($0) } }?.reason ?? .other
    }
  }

  private static func mentionsTimeout(_ text: String) -> Bool {
    ["timed out", "timeout", "deadline exceeded"].contains { text.contains($0) }
  }

  /// First match wins: a corrupt download mentions S3 too, so corruption is looked for first.
  private static let wordRules: [(words: [String], reason: FailureCategory)] = [
    (["checksum", "corrupt", "mismatch", "truncated", "does not match"], .corrupt),
    (["postgres", "pg_dump", "pg_restore", "psql", "sqlstate", "database", "libpq"], .database),
    (["s3", "bucket", "storage", "upload", "download", "nosuchkey", "accessdenied"], .storage),
  ]
}
