import DRBackup
import DRFailover
import DRPolicy
import DRPostgres
import DRRestore
import Foundation

extension EnvironmentPreflight {
  /// The failover's restore target, the way its restore will use it, as `dr restore
  /// --dry-run` reports a target: the local driver's server is the cluster it will start, so
  /// its programs are inspected (their major, the extensions their installation offers, its
  /// free space); dr is that cluster's superuser. juju's unit cannot be inspected from here:
  /// what is unknown says so. None when the stack has no PostgreSQL.
  func targetFindings(_ context: FailoverContext, manifest: BackupManifest) async -> [TargetFinding] {
    guard context.stack.components.contains(where: { $0.kind == .postgresql }) else { return [] }
    let server: PlannedServer
    do {
      guard let planned = try await context.plannedServer(for: manifest, stack: context.stack) else { return [] }
      server = planned
    } catch {
      return [TargetFinding("server", .fail, "\(error)")]
    }
    var findings = [
      TargetFindings.server(
        manifest, serverMajor: server.major, serverVersion: server.version,
        hosts: "of environment \(environmentName) (\(server.source))")
    ]
    switch context.environment.driver {
    case .local: findings += await localFindings(manifest)
    case .juju: findings += jujuFindings(manifest)
    }
    return findings
  }

  /// The local driver's cluster: its programs' extensions, dr as its superuser, the state
  /// directory's free space.
  private func localFindings(_ manifest: BackupManifest) async -> [TargetFinding] {
    let directory = existingAncestor(stateRoot)
    return await localExtensions(manifest) + [
      TargetFinding(
        "roles", .ok,
        "the failover's cluster is dr's own and dr its superuser: "
          + (manifest.globals.included
            ? "the backup's roles are created from its globals and objects keep their owners"
            : "objects keep their owners (the backup has no globals: the restore gives them to existing roles)")),
      TargetFindings.freeSpace(
        manifest, free: TargetFindings.available(at: directory), place: directory,
        unknown: "the file system of \(directory) cannot be read"),
    ]
  }

  /// juju's unit is not inspected from here: its extensions and disk are unknown.
  private func jujuFindings(_ manifest: BackupManifest) -> [TargetFinding] {
    let needed = manifest.database.extensions.map { $0.map(\.name).joined(separator: ", ") } ?? "unrecorded extensions"
    return [
      TargetFinding(
        "extensions", .warn,
        "unknown: the postgresql charm's unit is not inspected from here (the dump needs \(needed))",
        fix: "enable the extensions the dump needs in the charm's configuration (juju config postgresql)"),
      TargetFinding(
        "roles", .ok,
        "juju restores with --no-owner --no-acl: objects belong to the charm's database user, the backup's roles "
          + "are not created"),
      TargetFindings.freeSpace(
        manifest, free: nil, place: "", unknown: "the postgresql unit's disk is not inspected from here"),
    ]
  }

  /// The extensions the local driver's cluster will offer: its installation's control files.
  private func localExtensions(_ manifest: BackupManifest) async -> [TargetFinding] {
    do {
      let binaries = try await ServerBinaries.locate(forMajor: manifest.dumpMajor, environment: variables)
      let available = try await binaries.availableExtensions()
      return TargetFindings.extensions(
        manifest.database.extensions, available: available, serverMajor: binaries.majorVersion, superuser: true,
        place: "PostgreSQL \(binaries.version) at \(binaries.directory)")
    } catch {
      return [TargetFinding("extensions", .warn, "unknown: \(error)")]
    }
  }

  /// `path`, or its closest parent that exists (the state directory may not yet).
  func existingAncestor(_ path: String) -> String {
    var directory = path
    while !FileManager.default.fileExists(atPath: directory), directory != "/" {
      directory = (directory as NSString).deletingLastPathComponent
    }
    return directory
  }
}
