import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRVerify
import Foundation

extension LocalDriver {
  func postgres() async throws -> LocalPostgres {
    guard let component = stack.components.first(where: { $0.kind == .postgresql }) else {
      throw FailoverError(.driver, "the stack has no postgresql component")
    }
    let major = manifest.map { $0.database.serverVersionNum / 10_000 } ?? 0
    let binaries = try await ServerBinaries.locate(forMajor: major, environment: environment)
    return LocalPostgres(binaries: binaries, directory: directory, port: component.port, runAs: runAs)
  }

  func startPostgres(_ step: PlanStep) async throws -> String {
    let postgres = try await postgres()
    let wasUp = try await postgres.isUp()
    try await postgres.ensureRunning()
    try await HealthProbe.wait(timeout: step.timeoutSeconds, step.name) {
      await HealthProbe.postgres(postgres.url(database: "postgres"))
    }
    return wasUp
      ? "already running on 127.0.0.1:\(postgres.port)"
      : "PostgreSQL \(postgres.binaries.majorVersion) on 127.0.0.1:\(postgres.port)"
  }

  /// Roles, then the dump in one transaction (a restore killed midway leaves nothing, so
  /// running again starts it over), then the row counts of the manifest.
  func restore(_ step: PlanStep) async throws -> String {
    guard let manifest, let storage else { throw FailoverError(.noBackup, "no backup to restore") }
    let postgres = try await postgres()
    let database = manifest.database.name
    let target = postgres.url(database: database)
    if state.restored == manifest.id.rawValue, await HealthProbe.postgres(target).ok {
      return "\(manifest.id) already restored"
    }
    let admin = try await PGConnection.connect(postgres.url(database: "postgres"))
    let quoted = SQL.identifier(database)
    _ = try await admin.query("DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
    _ = try await admin.query("CREATE DATABASE \(quoted)")
    let key = try await keys.unlock(manifest, logger: logger)
    let restorer = Restorer(
      fetcher: ObjectFetcher(client: storage.client, bucket: storage.bucket, key: key), manifest: manifest,
      bindir: postgres.binaries.directory, environment: environment, logger: logger)
    for message in try await restorer.restoreGlobals(into: postgres.url(database: "postgres"), password: nil) {
      logger.info("\(message)")
    }
    _ = try await restorer.restoreDump(into: target, password: nil, options: .init(mode: .stream))
    let failures = try await RestoredDatabaseChecks.compareCounts(manifest, in: try await PGConnection.connect(target))
    guard failures.isEmpty else {
      throw FailoverError(
        .step("restore"),
        "the restored database does not match the manifest: "
          + failures.map { "\($0.subject): \($0.detail)" }.joined(separator: "; "))
    }
    try record { $0.restored = manifest.id.rawValue }
    return "\(manifest.id) restored into \(database), \(manifest.rowCounts.tables.count) tables counted"
  }

  func startMemcached(_ step: PlanStep) async throws -> String {
    let component = try component(step)
    if let pid = state.pids[component.name], Daemon.isRunning(pid), await HealthProbe.memcached(port: component.port).ok
    {
      return "already running on 127.0.0.1:\(component.port)"
    }
    var arguments = ["-l", "127.0.0.1", "-p", "\(component.port)", "-U", "0", "-m", "\(component.memoryMB ?? 64)"]
    if geteuid() == 0 { arguments += ["-u", "nobody"] }
    let pid = try Daemon.start(
      try executable("memcached"), arguments, environment: [:], directory: nil, log: "\(directory)/memcached.log")
    try record { $0.pids[component.name] = pid }
    try await HealthProbe.wait(timeout: step.timeoutSeconds, step.name) { [directory] in
      guard Daemon.isRunning(pid) else {
        let log = (try? String(contentsOfFile: "\(directory)/memcached.log", encoding: .utf8)) ?? ""
        return (false, "memcached exited: \(log.split(separator: "\n").last ?? "see \(directory)/memcached.log")")
      }
      return await HealthProbe.memcached(port: component.port)
    }
    return "memcached on 127.0.0.1:\(component.port) (pid \(pid))"
  }

  func component(_ step: PlanStep) throws -> StackComponent {
    guard let name = step.component, let component = stack.component(named: name) else {
      throw FailoverError(.driver, "step \(step.name) names no component of the stack")
    }
    return component
  }

  /// The full path of a program on PATH, for posix_spawn.
  func executable(_ name: String) throws -> String {
    for directory in (environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":")
    where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
      return "\(directory)/\(name)"
    }
    for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
    where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
      return "\(directory)/\(name)"
    }
    throw FailoverError(.driver, "\(name) is not installed (apt-get install \(name))")
  }
}
