import DRCore
import Foundation

extension ServerBinaries {
  /// The installation's SHAREDIR (where `extension/*.control` are): `pg_config --sharedir`
  /// beside the programs, else `../share` of the bin directory (relocatable and RHEL
  /// layouts), else Debian's `/usr/share/postgresql/N`. nil when none holds `extension/`.
  public func shareDirectory() async -> String? {
    var candidates: [String] = []
    let pgConfig = path("pg_config")
    if FileManager.default.isExecutableFile(atPath: pgConfig),
      let output = try? await ProcessRunner.run(pgConfig, ["--sharedir"]), output.status == 0
    {
      candidates.append(output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    candidates.append(((directory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share"))
    candidates.append("/usr/share/postgresql/\(majorVersion)")
    var isDirectory: ObjCBool = false
    return candidates.first {
      FileManager.default.fileExists(atPath: "\($0)/extension", isDirectory: &isDirectory) && isDirectory.boolValue
    }
  }

  /// The extensions a cluster of these programs would offer.
  public func availableExtensions() async throws -> AvailableExtensions {
    guard let share = await shareDirectory() else {
      throw PostgresError(
        .toolMissing, "no extension directory found for the PostgreSQL \(version) programs in \(directory)")
    }
    return try AvailableExtensions.read(shareDirectory: share)
  }
}
