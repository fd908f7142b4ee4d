import DRCore

/// Why a restore or a verification could not run (exit 1), or found the backup bad
/// (exit 3: the backup failed its verification).
public struct VerifyError: DRError {
  public enum Code: Sendable, Equatable {
    /// The scratch target could not be made or removed.
    case scratch
    /// The target is not empty, or cannot be used.
    case target
    /// The stored backup does not match its manifest (checksum, size, streams).
    case corrupt
    /// An object the manifest lists is not in the bucket.
    case missing
    /// pg_restore or psql failed.
    case restore
    /// The restore target ran out of disk space or memory: the machine's fault, not the
    /// backup's, so a verification it stops is not recorded as failed.
    case resources
    /// Nothing to verify or restore.
    case noBackup
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
