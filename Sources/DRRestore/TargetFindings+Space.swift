import DRBackup
import DRCore
import Foundation

extension TargetFindings {
  /// Free space where the restored data goes (`free` bytes; nil: unknown, `unknown` says
  /// why) against the dump's uncompressed size (less cannot hold it) and the source
  /// database's size when it was dumped (about what the restored copy takes, indexes
  /// included). The target's old data stays until the new copy is complete, so both count.
  public static func freeSpace(_ manifest: BackupManifest, free: Int64?, place: String, unknown: String)
    -> TargetFinding
  {
    let dump =
      manifest.object(.dump)?.compression.uncompressedSize
      ?? manifest.objects.reduce(0) { $0 + $1.compression.uncompressedSize }
    let estimate = max(dump, manifest.database.sizeBytes)
    let sizes =
      "the dump is \(ByteCount.format(dump)) uncompressed, the source database was "
      + "\(ByteCount.format(manifest.database.sizeBytes))"
    guard let free else {
      return TargetFinding(
        "free_space", .warn, "unknown: \(unknown); \(sizes)",
        fix: "make sure the target's data directory has \(ByteCount.format(estimate)) free or more")
    }
    let have = "\(ByteCount.format(free)) free in \(place); \(sizes)"
    if free < dump {
      return TargetFinding(
        "free_space", .fail, "\(have): the restore would run out of space",
        fix: "free at least \(ByteCount.format(estimate - free)) there, or restore into another server")
    }
    if free < estimate {
      return TargetFinding(
        "free_space", .warn, "\(have): the restored copy, with its indexes, may not fit",
        fix: "free about \(ByteCount.format(estimate - free)) more there")
    }
    return TargetFinding("free_space", .ok, have)
  }

  /// Bytes available to unprivileged users in the file system holding `path`; nil when it
  /// cannot be read.
  public static func available(at path: String) -> Int64? {
    var stats = statvfs()
    guard statvfs(path, &stats) == 0 else { return nil }
    return Int64(stats.f_bavail) * Int64(stats.f_frsize)
  }
}
