import DRBackup
import DRCore
import DRRestore
import DRVerify

/// Why a job failed, as a category: the `reason` label of `dr_job_failures_total`.
///
/// Error messages name objects, hosts and backup IDs; as labels they would make a new
/// series per failure. Five categories keep the cardinality bounded and still say where
/// to look.
public enum JobFailureReason: String, Sendable, CaseIterable {
  /// S3, the bucket, the network to it.
  case storage
  /// PostgreSQL: connecting, pg_dump, pg_restore, the scratch cluster.
  case database
  /// The stored backup does not match its manifest, or failed its verification.
  case corrupt
  case timeout
  case other

  /// The category of an error a job threw: a timeout wherever it happened, else what the
  /// error's type says, else its exit status and the words of its message.
  public init(_ error: any Error) {
    let message = String(describing: error)
    if Self.mentionsTimeout(message.lowercased()) {
      self = .timeout
    } else if let known = Self.category(of: error) {
      self = known
    } else {
      self.init(message: message, exitStatus: (error as? any DRError)?.exitStatus.rawValue)
    }
  }

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
  private static let wordRules: [(words: [String], reason: JobFailureReason)] = [
    (["checksum", "corrupt", "mismatch", "truncated", "does not match"], .corrupt),
    (["postgres", "pg_dump", "pg_restore", "psql", "sqlstate", "database", "libpq"], .database),
    (["s3", "bucket", "storage", "upload", "download", "nosuchkey", "accessdenied"], .storage),
  ]

  private static func category(of error: any Error) -> JobFailureReason? {
    if let error = error as? RestoreError { return category(of: error.code) }
    if error is VerifyError { return .database }
    if let error = error as? BackupError { return category(of: error.code) }
    let module = String(reflecting: type(of: error)).prefix { $0 != "." }
    switch module {
    case "DRS3", "DRStorage", "DRHTTP": return .storage
    case "DRPostgres": return .database
    case "DRCompression", "DRCrypto": return .corrupt
    default: return nil
    }
  }

  private static func category(of code: RestoreError.Code) -> JobFailureReason {
    switch code {
    case .corrupt, .encryption, .missing: .corrupt
    case .restore, .target: .database
    case .resources, .noBackup: .other
    }
  }

  private static func category(of code: BackupError.Code) -> JobFailureReason {
    switch code {
    case .dumpFailed: .database
    case .manifestUnreadable: .corrupt
    case .notFound: .storage
    case .locked, .leaseUnreadable, .interrupted, .invalid, .key: .other
    }
  }
}
