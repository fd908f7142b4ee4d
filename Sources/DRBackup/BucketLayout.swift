/// Where a policy's objects live in the bucket (DESIGN.md, "What lives in the bucket"):
///
///     PREFIX/NAME/backups/ID/dump.pgc.bz2      the dump (`.zst` with zstd)
///     PREFIX/NAME/backups/ID/globals.sql.bz2   roles and tablespaces
///     PREFIX/NAME/backups/ID/manifest.json     written last: the commit marker
///     PREFIX/NAME/verifications/ID/TIMESTAMP-MILLIS-RAND.json
///     PREFIX/NAME/reports/...
///     PREFIX/NAME/lock.json                    the lease of the running backup
public struct BucketLayout: Sendable, Equatable {
  /// `PREFIX/NAME/`.
  public let root: String

  public init(prefix: String, policyName: String) {
    root = prefix + policyName + "/"
  }

  public var backupsPrefix: String { root + "backups/" }
  public var verificationsPrefix: String { root + "verifications/" }
  public var reportsPrefix: String { root + "reports/" }
  public var lockKey: String { root + "lock.json" }

  public func backupPrefix(_ id: BackupID) -> String { backupsPrefix + id.rawValue + "/" }
  public func manifestKey(_ id: BackupID) -> String { backupPrefix(id) + "manifest.json" }

  /// `dump.pgc.bz2`, `dump.pgc.zst` with zstd, or `dump.pgc` without compression.
  public func dumpKey(_ id: BackupID, fileExtension: String) -> String {
    backupPrefix(id) + "dump.pgc" + (fileExtension.isEmpty ? "" : "." + fileExtension)
  }

  public func globalsKey(_ id: BackupID, fileExtension: String) -> String {
    backupPrefix(id) + "globals.sql" + (fileExtension.isEmpty ? "" : "." + fileExtension)
  }

  /// The backup a key belongs to, when it is `PREFIX/NAME/backups/ID/...` with a valid ID.
  public func backupID(ofKey key: String) -> BackupID? {
    guard key.hasPrefix(backupsPrefix) else { return nil }
    let rest = key.dropFirst(backupsPrefix.count)
    guard let slash = rest.firstIndex(of: "/") else { return nil }
    return BackupID(String(rest[..<slash]))
  }
}
