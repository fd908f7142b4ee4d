import DRBackup
import Foundation

/// One reason a test restore failed.
public struct ReportFailure: Sendable, Equatable {
  public var backup: BackupID
  /// When the failing test restore started.
  public var verifiedAt: Date
  public var kind: String
  public var subject: String
  /// Free text, often a database's error message: escape it wherever it goes.
  public var detail: String
}

/// How many backups stand where; the four add up to `backups`.
public struct ReportCounts: Sendable, Equatable {
  public var backups = 0
  public var verified = 0
  public var failed = 0
  public var unverified = 0
  public var incomplete = 0
  /// Test restores, passed or failed.
  public var verifications = 0

  public init() {}

  init(_ backups: [ReportBackup]) {
    self.backups = backups.count
    verifications = backups.reduce(0) { $0 + $1.verifications.count }
    for backup in backups {
      switch backup.status {
      case .passed: verified += 1
      case .failed: failed += 1
      case .unverified: unverified += 1
      case .incomplete: incomplete += 1
      }
    }
  }
}

/// One value at one time.
public struct ReportPoint: Sendable, Equatable {
  public var date: Date
  public var value: Double
  /// What the point is about (a backup ID).
  public var label: String
}

/// Series over time, oldest first, for charts.
public struct ReportTrends: Sendable, Equatable {
  /// Bytes stored, one point per complete backup, at its start time (an incomplete one's
  /// size says nothing).
  public var backupSize: [ReportPoint]
  /// Restore seconds (download, decompress, restore) of each backup's newest passed test
  /// restore, at the backup's start time. Failed ones are left out: they may have stopped early.
  public var restoreSeconds: [ReportPoint]

  public init(backupSize: [ReportPoint], restoreSeconds: [ReportPoint]) {
    self.backupSize = backupSize
    self.restoreSeconds = restoreSeconds
  }

  init(_ backups: [ReportBackup]) {
    let oldestFirst = backups.reversed()
    backupSize = oldestFirst.filter(\.complete).map {
      ReportPoint(date: $0.startedAt, value: Double($0.sizeBytes), label: $0.id.rawValue)
    }
    restoreSeconds = oldestFirst.compactMap { backup in
      backup.latestPassed.map {
        ReportPoint(date: backup.startedAt, value: $0.restoreSeconds, label: backup.id.rawValue)
      }
    }
  }
}
