import DRBackup
import Foundation

/// Which backup a command means: an ID, `latest`, or (verify) `all-unverified`.
public enum BackupSelection: Sendable, Equatable {
  case id(BackupID)
  /// For verify: the newest complete backup. For restore: the newest with a passed
  /// verification, else the newest complete one that did not fail one (with a warning).
  case latest
  case allUnverified

  public init?(_ text: String?) {
    switch text {
    case nil, "latest": self = .latest
    case "all-unverified": self = .allUnverified
    case let text?:
      guard let id = BackupID(text) else { return nil }
      self = .id(id)
    }
  }

  /// Backups to verify, newest first.
  public func forVerification(_ entries: [BackupEntry]) throws -> [BackupID] {
    let complete = entries.filter(\.complete)
    switch self {
    case .id(let id):
      return [id]
    case .latest:
      guard let newest = complete.first else { throw VerifyError(.noBackup, "no complete backup to verify") }
      return [newest.id]
    case .allUnverified:
      return complete.filter { $0.verification == "none" }.map(\.id)
    }
  }

  /// The backup to restore, and a warning when it is not a verified one.
  public func forRestore(_ entries: [BackupEntry]) throws -> (BackupID, warning: String?) {
    switch self {
    case .id(let id):
      return (id, nil)
    case .latest, .allUnverified:
      if let good = entries.first(where: { $0.complete && $0.verification == "passed" }) { return (good.id, nil) }
      // A backup whose verification failed is known bad: never the default.
      guard let newest = entries.first(where: { $0.complete && $0.verification != "failed" }) else {
        let failed = entries.filter { $0.complete && $0.verification == "failed" }.count
        throw VerifyError(
          .noBackup,
          failed == 0
            ? "no complete backup to restore"
            : "no backup to restore: the \(failed) complete one(s) failed their verification (see dr list); "
              + "name one with --backup ID to restore it anyway")
      }
      return (newest.id, "no backup has passed a verification; restoring the newest complete one, \(newest.id)")
    }
  }
}
