import DRBackup
import Foundation

/// One backup as `dr report` takes it: what the catalogue lists.
public struct ReportBackupInput: Sendable, Equatable {
  public var id: BackupID
  /// Has a manifest: complete and restorable.
  public var complete: Bool
  public var manifest: BackupManifest?
  /// Bytes stored (every object of the backup).
  public var sizeBytes: Int64

  public init(id: BackupID, complete: Bool, manifest: BackupManifest?, sizeBytes: Int64) {
    self.id = id
    self.complete = complete
    self.manifest = manifest
    self.sizeBytes = sizeBytes
  }

  public init(_ entry: BackupEntry) {
    self.init(id: entry.id, complete: entry.complete, manifest: entry.manifest, sizeBytes: entry.sizeBytes)
  }

  /// The manifest's start time, or the one the ID encodes.
  public var startedAt: Date { manifest?.startedAt ?? id.startedAt }
}

/// One failover drill: when it ran and how long service took to come back.
public struct ReportDrill: Sendable, Equatable {
  public var date: Date
  public var rtoSeconds: Double

  public init(date: Date, rtoSeconds: Double) {
    self.date = date
    self.rtoSeconds = rtoSeconds
  }
}
