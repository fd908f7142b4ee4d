import DRBackup
import Foundation

/// One test restore of a backup, as a report shows it.
public struct ReportVerification: Sendable, Equatable {
  public var record: VerificationRecord

  public init(record: VerificationRecord) {
    self.record = record
  }

  public var startedAt: Date { record.startedAt }
  public var outcome: VerificationRecord.Outcome { record.outcome }
  /// The whole test restore, checks included.
  public var durationSeconds: Double { record.durationSeconds }
  /// What a real restore would take: download, decompress and restore, without the checks.
  public var restoreSeconds: Double {
    record.phases.download + record.phases.decompress + record.phases.restore
  }
}

/// One backup with its test restores (newest first).
public struct ReportBackup: Sendable, Equatable {
  /// Where a backup stands. The newest test restore decides: a backup that passed once
  /// and failed since is not trusted any more.
  public enum Status: String, Sendable, CaseIterable {
    case passed, failed, unverified, incomplete
  }

  public var id: BackupID
  public var startedAt: Date
  public var finishedAt: Date?
  public var complete: Bool
  /// Bytes stored.
  public var sizeBytes: Int64
  /// The dump's size before compression; nil without a manifest.
  public var uncompressedBytes: Int64?
  public var serverVersion: String?
  public var verifications: [ReportVerification]

  public init(input: ReportBackupInput, records: [VerificationRecord]) {
    id = input.id
    startedAt = input.startedAt
    finishedAt = input.manifest?.finishedAt
    complete = input.complete
    sizeBytes = input.sizeBytes
    uncompressedBytes = input.manifest?.objects.reduce(0) { $0 + $1.compression.uncompressedSize }
    serverVersion = input.manifest?.database.serverVersion
    verifications = records.sorted(by: Self.newestFirst).map(ReportVerification.init)
  }

  /// How long the backup itself took.
  public var durationSeconds: Double? { finishedAt.map { $0.timeIntervalSince(startedAt) } }

  /// The newest test restore.
  public var latest: ReportVerification? { verifications.first }

  /// The newest test restore that passed.
  public var latestPassed: ReportVerification? { verifications.first { $0.outcome == .passed } }

  /// From the newest conclusive test restore: an inconclusive one (the verifier's own host
  /// failed it) says nothing of the backup.
  public var status: Status {
    if let latest = verifications.first(where: { $0.outcome.isConclusive }) {
      return latest.outcome == .passed ? .passed : .failed
    }
    return complete ? .unverified : .incomplete
  }

  static func newestFirst(_ lhs: VerificationRecord, _ rhs: VerificationRecord) -> Bool {
    if lhs.startedAt != rhs.startedAt { return lhs.startedAt > rhs.startedAt }
    return lhs.finishedAt > rhs.finishedAt
  }
}
