import DRBackup
import DRCore
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
      try Self.exists(id, in: entries)
      return [id]
    case .latest:
      guard let newest = complete.first else { throw RestoreError(.noBackup, "no complete backup to verify") }
      return [newest.id]
    case .allUnverified:
      return complete.filter { $0.verification == "none" }.map(\.id)
    }
  }

  /// The backup to restore, and warnings: when it is not a verified one, and for every
  /// newer backup whose manifest or verification could not be read (it may be newer and
  /// good, or may have failed a verification: it is never chosen on a guess).
  public func forRestore(_ entries: [BackupEntry]) throws -> (BackupID, warnings: [String]) {
    switch self {
    case .id(let id):
      try Self.exists(id, in: entries)
      return (id, [])
    case .latest, .allUnverified:
      if let good = entries.first(where: { $0.complete && $0.verification == "passed" }) {
        return (good.id, Self.unknown(newerThan: good.id, in: entries))
      }
      // A backup whose verification failed is known bad, and one whose verification could
      // not be read may be: never the default.
      guard let newest = entries.first(where: { $0.complete && $0.verification == "none" }) else {
        throw RestoreError(.noBackup, Self.nothingToRestore(entries))
      }
      return (
        newest.id,
        ["no backup has passed a verification; restoring the newest complete one, \(newest.id)"]
          + Self.unknown(newerThan: newest.id, in: entries)
      )
    }
  }

  /// A backup ID the bucket has nothing of is a mistake (a typo, another policy's): said
  /// plainly, and nothing is recorded against it.
  static func exists(_ id: BackupID, in entries: [BackupEntry]) throws {
    guard !entries.contains(where: { $0.id == id }) else { return }
    let newest = entries.first { $0.complete }.map { "; the newest complete one is \($0.id)" } ?? ""
    throw RestoreError(.noBackup, "no such backup: \(id) (dr list shows the backups\(newest))")
  }

  /// Warnings for the backups newer than `chosen` that could not be read.
  public static func unknown(newerThan chosen: BackupID, in entries: [BackupEntry]) -> [String] {
    entries.filter { $0.id > chosen }.compactMap { entry in
      entry.unknownReason.map {
        "backup \(entry.id) is newer but could not be read (\($0)); restoring \(chosen) instead"
      }
    }
  }

  static func nothingToRestore(_ entries: [BackupEntry]) -> String {
    let failed = entries.filter { $0.complete && $0.verification == "failed" }.count
    let unknown = entries.filter(\.isUnknown)
    var text =
      failed == 0
      ? "no complete backup to restore"
      : "no backup to restore: the \(failed) complete one(s) failed their verification (see dr list)"
    if let newest = unknown.first, let reason = newest.unknownReason {
      text += "; \(unknown.count) backup(s) could not be read, the newest \(newest.id): \(reason)"
    }
    return text + (failed + unknown.count > 0 ? "; name one with --backup ID to restore it anyway" : "")
  }
}
