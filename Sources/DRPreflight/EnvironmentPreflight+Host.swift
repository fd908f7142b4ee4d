import DRBackup
import DRCore
import DRFailover
import DRPolicy
import DRPostgres
import DRRestore
import Foundation

extension EnvironmentPreflight {
  /// The dump's major against the PostgreSQL the environment will run: the local driver's
  /// programs (closest not older than the dump; none is a failure naming the package), or
  /// the juju charm's (older than the dump is a failure: the restore may not work).
  func checkServer(_ context: FailoverContext, manifest: BackupManifest?) async -> PreflightReport.Check {
    let dump = manifest.map { "the dump is PostgreSQL \($0.dumpMajor) (pg_dump \($0.pgDump.version)); " } ?? ""
    let server: PlannedServer?
    do {
      server = try await context.plannedServer(for: manifest, stack: context.stack)
    } catch {
      return .init("postgresql", .failed, "\(error)")
    }
    guard let server else {
      // No backup to restore: any installation will do to start the cluster.
      do {
        let binaries = try await ServerBinaries.locate(forMajor: 0, environment: variables)
        return .init("postgresql", .ok, "PostgreSQL \(binaries.version) at \(binaries.directory) (no backup yet)")
      } catch {
        return .init("postgresql", .failed, "\(error)")
      }
    }
    let detail = dump + "the environment will run PostgreSQL \(server.version) (\(server.source))"
    guard let manifest, server.major < manifest.dumpMajor else { return .init("postgresql", .ok, detail) }
    return .init(
      "postgresql", .failed,
      detail + ", older than the dump: a dump restores into its own major or a newer one")
  }

  func checkPrograms(_ stack: StackSettings, into report: inout PreflightReport) {
    for (kind, program) in [(StackComponent.Kind.memcached, "memcached"), (.haproxy, "haproxy")]
    where stack.components.contains(where: { $0.kind == kind }) {
      report.checks.append(
        find(program).map { .init(program, .ok, $0) }
          ?? .init(program, .failed, "\(program) is not installed: apt-get install \(program)"))
    }
    for app in stack.components where app.kind == .app {
      let word = app.command?.program ?? ""
      // As the local driver starts it: on the app's PATH (its own, or dr's) alone.
      let path = ProgramSearch.find(
        word, path: app.environment["PATH"] ?? variables["PATH"], systemDirectories: false)
      report.checks.append(
        path.map { .init(app.name, .ok, "\($0) found") }
          ?? .init(app.name, .failed, "\(word) (the start of \(app.name)'s command) is not an executable here"))
    }
  }

  func checkPorts(_ stack: StackSettings, into report: inout PreflightReport) {
    let taken = stack.components.filter { LoopbackPort.isTaken($0.port) }
    report.checks.append(
      taken.isEmpty
        ? .init("ports", .ok, stack.components.map { "\($0.name) \($0.port)" }.joined(separator: ", ") + " free")
        : .init(
          "ports", .failed,
          taken.map { "\($0.port) (\($0.name)) is in use" }.joined(separator: ", ")
            + "; stop what uses it, or give the environment other ports (environments.\(environmentName).stack)"))
  }

  /// Room for the restored cluster: twice the dump's uncompressed size (tables and indexes).
  func checkDisk(_ manifest: BackupManifest?, into report: inout PreflightReport) {
    guard let manifest else { return }
    let needed = 2 * manifest.objects.reduce(0) { $0 + $1.compression.uncompressedSize }
    let directory = existingAncestor(stateRoot)
    guard let free = TargetFindings.available(at: directory) else { return }
    report.checks.append(
      free >= needed
        ? .init("disk", .ok, "\(ByteCount.format(free)) free in \(directory), \(ByteCount.format(needed)) needed")
        : .init(
          "disk", .failed,
          "only \(ByteCount.format(free)) free in \(directory); the restore needs about \(ByteCount.format(needed))"))
  }

  func find(_ program: String, path: String? = nil) -> String? {
    ProgramSearch.find(program, path: path ?? variables["PATH"])
  }
}
