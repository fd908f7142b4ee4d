import DRCore

/// Why a restore could not run, or found the backup bad. A verification that meets one
/// records a failed verification (exit 3) when `failsTheBackup`, else stops (exit 1).
public typealias RestoreError = ModuleError<RestoreErrorCode>

public enum RestoreErrorCode: ErrorCode {
  /// The target is not empty, or cannot be used.
  case target
  /// The stored backup does not match its manifest (checksum, size, streams).
  case corrupt
  /// The backup cannot be decrypted: no key of the policy opens it, or a segment fails
  /// authentication (altered, dropped, reordered, truncated, from elsewhere).
  case encryption
  /// An object the manifest lists is not in the bucket.
  case missing
  /// pg_restore refused the archive's own content (its format, its rows): the backup's fault.
  case restore
  /// The host restoring it lacks something the dump needs (an extension, a working server).
  case hostLacks
  /// pg_restore or psql failed for a reason dr does not recognise: not blamed on the backup.
  case undetermined
  /// The restore target ran out of disk space or memory: the machine's fault, not the
  /// backup's, so a verification it stops is not recorded as failed.
  case resources
  /// Nothing to verify or restore.
  case noBackup
  /// The target server's major version is older than the dump's: refused before anything
  /// changes (a usage error: another target, or `--allow-older-server`).
  case olderServer
  /// The backup holds several databases and none was named, or not the one named: refused
  /// before anything changes (a usage error: `--database NAME`).
  case whichDatabase
  /// A partial restore names a schema or table the backup does not have: refused before
  /// anything changes (a usage error), with the backup's closest names.
  case unknownObject

  public var category: FailureCategory {
    switch self {
    case .corrupt, .encryption, .missing: .corrupt
    case .restore, .target, .hostLacks, .undetermined, .olderServer: .database
    case .resources, .noBackup, .whichDatabase, .unknownObject: .other
    }
  }

  public var exitStatus: ExitStatus {
    [.olderServer, .whichDatabase, .unknownObject].contains(self) ? .usage : .failure
  }
}

extension ModuleError where Code == RestoreErrorCode {
  /// Whether a verification that met this error found the backup bad (a failed record,
  /// exit 3) rather than could not run (exit 1, no record).
  public var failsTheBackup: Bool { [.corrupt, .restore, .encryption, .missing].contains(code) }

  /// The failure's kind in a verification record.
  public var failureKind: String {
    switch code {
    case .corrupt: "checksum"
    case .encryption: "encryption"
    case .missing: "missing"
    default: "restore"
    }
  }
}
