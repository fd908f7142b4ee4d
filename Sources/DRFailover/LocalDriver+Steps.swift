import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRRestore
import Foundation
import Logging

extension LocalDriver {
  func postgres() async throws -> LocalPostgres {
    guard let component = stack.components.first(where: { $0.kind == .postgresql }) else {
      throw FailoverError(.driver, "the stack has no postgresql component")
    }
    // A cluster of the dump's major, or the closest newer one: never older.
    let binaries =
      if let manifest {
        try await FailoverContext.serverBinaries(for: manifest, variables: environment)
      } else {
        try await ServerBinaries.locate(forMajor: 0, environment: environment)
      }
    return LocalPostgres(binaries: binaries, directory: directory, port: component.port, runAs: runAs)
  }

  /// The cluster's passwords: read from the state directory, made when there is no cluster
  /// yet or one that still trusts everyone.
  func stackPasswords() async throws -> StackPasswords {
    if let passwords { return passwords }
    let postgres = try await postgres()
    let asksForOne = try postgres.isInitialised && !postgres.trusts()
    let loaded = try StackPasswords.load(directory, createSuperuser: !asksForOne)
    passwords = loaded
    return loaded
  }

  func startPostgres(_ step: PlanStep) async throws -> String {
    let postgres = try await postgres()
    let passwords = try await stackPasswords()
    let wasUp = await postgres.isUp()
    let tightened = try await postgres.ensureRunning(passwords)
    if let tightened { logger.warning("\(tightened)") }
    try await HealthProbe.wait(timeout: step.timeoutSeconds, step.name) {
      await HealthProbe.postgres(postgres.url(database: "postgres"), password: passwords.superuser)
    }
    let what =
      wasUp
      ? "already running on 127.0.0.1:\(postgres.port)"
      : "PostgreSQL \(postgres.binaries.majorVersion) on 127.0.0.1:\(postgres.port)"
    return what + (tightened.map { "; \($0)" } ?? "")
  }

  func startMemcached(_ step: PlanStep) async throws -> String {
    let component = try component(step)
    let expected = expectedCommand(component)
    if case .running = tracked(component.name, expected: expected), await HealthProbe.memcached(port: component.port).ok
    {
      return "already running on 127.0.0.1:\(component.port)"
    }
    await release(component.name, expected: expected)
    let arguments = memcachedArguments(component)
    LoopbackPort.release(component.port)
    let pid = try Daemon.start(
      try executable("memcached"), Array(arguments.dropFirst()), environment: [:], directory: nil,
      log: "\(directory)/memcached.log")
    try track(component.name, pid)
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
    guard let found = ProgramSearch.find(name, path: environment["PATH"]) else {
      throw FailoverError(.driver, "\(name) is not installed (apt-get install \(name))")
    }
    return found
  }
}
