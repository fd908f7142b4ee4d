import DRBackup
import DRCore
import DRPolicy
import DRPostgres

extension FailoverContext {
  /// The PostgreSQL the environment will run for `manifest`'s dump. The local driver: the
  /// installation closest to the dump's major among those not older (none: the plan fails,
  /// naming the package to install). juju: the postgresql charm's track for the dump's major
  /// (none newer than the dump: the plan fails).
  public func plannedServer(for manifest: BackupManifest?, stack: StackSettings) async throws -> PlannedServer? {
    guard stack.components.contains(where: { $0.kind == .postgresql }) else { return nil }
    switch environment.driver {
    case .juju:
      guard let channel = JujuCommands.postgresqlChannel(forDump: manifest?.dumpMajor) else {
        let tracks = JujuCommands.postgresqlTracks.map(String.init).joined(separator: " and ")
        throw FailoverError(
          .noServer,
          "backup \(manifest?.id.rawValue ?? "") is a dump of PostgreSQL \(manifest?.dumpMajor ?? 0), newer than "
            + "every track of the postgresql charm (\(tracks)); restore it with driver: local, or choose a backup "
            + "of PostgreSQL \(JujuCommands.postgresqlTracks.last!) or older")
      }
      let major = Int(channel.prefix { $0.isNumber }) ?? 0
      return PlannedServer(major: major, version: "\(major)", source: "the postgresql charm, channel \(channel)")
    case .local:
      guard let manifest else { return nil }
      let binaries = try await Self.serverBinaries(for: manifest, variables: variables)
      return PlannedServer(major: binaries.majorVersion, version: binaries.version, source: binaries.directory)
    }
  }

  /// The local server programs for `manifest`'s dump, or the failover's error naming the
  /// dump's major and what to install.
  static func serverBinaries(for manifest: BackupManifest, variables: [String: String]) async throws
    -> ServerBinaries
  {
    do {
      return try await ServerBinaries.locate(forMajor: manifest.dumpMajor, environment: variables)
    } catch let error as PostgresError {
      throw FailoverError(
        .noServer,
        "backup \(manifest.id) is a dump of PostgreSQL \(manifest.dumpMajor) (pg_dump \(manifest.pgDump.version)); "
          + "the local driver runs a cluster of that major or newer, and finds none: \(error.message)")
    }
  }
}
