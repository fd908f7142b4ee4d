import DRBackup
import DRCore
import DRHTTP
import DRPolicy
import Foundation
import Logging

extension LocalDriver {
  /// The app, run without a shell (its command as an argument vector, the stack's variables
  /// filled in), with nothing of dr's environment but PATH: PORT, DATABASE_URL (the
  /// restored database, as the role that made the backup, with that role's password),
  /// MEMCACHED_SERVERS, PATH and the policy's `environment:`.
  func startApp(_ step: PlanStep) async throws -> String {
    let component = try component(step)
    let health = "http://127.0.0.1:\(component.port)\(component.health ?? "/")"
    let expected = expectedCommand(component)
    if case .running = tracked(component.name, expected: expected), await HealthProbe.http(health, client: http).ok {
      return "already running on 127.0.0.1:\(component.port)"
    }
    await release(component.name, expected: expected)
    guard let command = component.command else { throw FailoverError(.driver, "\(component.name) has no command") }
    let variables = try await appEnvironment(component)
    if command.uses("DATABASE_URL") {
      logger.warning(
        "\(component.name)'s command holds $DATABASE_URL, and with it the database password, which any local user can read in its command line; the app finds DATABASE_URL in its environment"
      )
    }
    let arguments = command.arguments(variables)
    // A drill's port, held since it was chosen: an app need not set SO_REUSEADDR.
    LoopbackPort.release(component.port)
    let pid = try Daemon.start(
      try program(arguments[0], path: variables["PATH"]), Array(arguments.dropFirst()), environment: variables,
      directory: FileManager.default.currentDirectoryPath, log: "\(directory)/\(component.name).log")
    try track(component.name, pid)
    try await HealthProbe.wait(timeout: step.timeoutSeconds, step.name) {
      guard Daemon.isRunning(pid) else { return (false, "the app exited (see \(directory)/\(component.name).log)") }
      return await HealthProbe.http(health, client: http)
    }
    return "\(command) on 127.0.0.1:\(component.port) (pid \(pid))"
  }

  /// The app's whole environment.
  func appEnvironment(_ component: StackComponent) async throws -> [String: String] {
    var databaseURL: String?
    if let manifest, let database = stack.components.first(where: { $0.kind == .postgresql }) {
      let passwords = try await stackPasswords()
      let user = manifest.database.user
      let password = user == LocalPostgres.superuser ? passwords.superuser : passwords.app
      databaseURL = LocalPostgres.url(
        port: database.port, database: manifest.database.name, user: user, password: password)
    }
    var variables = ["PATH": environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
    variables.merge(component.environment) { _, listed in listed }
    variables.merge(stackValues(component, databaseURL: databaseURL)) { _, stack in stack }
    return variables
  }

  /// PORT, DATABASE_URL and MEMCACHED_SERVERS for `component`, as far as they are known.
  func stackValues(_ component: StackComponent, databaseURL: String?) -> [String: String] {
    var values = ["PORT": "\(component.port)"]
    values["DATABASE_URL"] = databaseURL
    if let cache = stack.components.first(where: { $0.kind == .memcached }) {
      values["MEMCACHED_SERVERS"] = "127.0.0.1:\(cache.port)"
    }
    return values
  }

  /// The file to run for the app's first word: as written when it holds a '/', else found
  /// on the app's PATH.
  func program(_ word: String, path: String?) throws -> String {
    if word.contains("/") { return word }
    guard let found = ProgramSearch.find(word, path: path, systemDirectories: false) else {
      throw FailoverError(.step("app"), "\(word) (the app's program) is not on its PATH (\(path ?? ""))")
    }
    return found
  }

  func startHAProxy(_ step: PlanStep) async throws -> String {
    let component = try component(step)
    let front = "http://127.0.0.1:\(component.port)\(healthPath)"
    let expected = expectedCommand(component)
    if case .running = tracked(component.name, expected: expected), await HealthProbe.http(front, client: http).ok {
      return "already running on 127.0.0.1:\(component.port)"
    }
    await release(component.name, expected: expected)
    let configuration = "\(directory)/haproxy.cfg"
    try haproxyConfiguration(component).write(toFile: configuration, atomically: true, encoding: .utf8)
    LoopbackPort.release(component.port)
    let pid = try Daemon.start(
      try executable("haproxy"), Array(haproxyArguments.dropFirst()), environment: [:], directory: nil,
      log: "\(directory)/haproxy.log")
    try track(component.name, pid)
    try await HealthProbe.wait(timeout: step.timeoutSeconds, step.name) {
      guard Daemon.isRunning(pid) else { return (false, "haproxy exited (see \(directory)/haproxy.log)") }
      return await HealthProbe.http(front, client: http)
    }
    return
      "haproxy on 127.0.0.1:\(component.port) (pid \(pid)) in front of \(component.backends.joined(separator: ", "))"
  }

  /// A request through the front that reads the restored data.
  func endToEnd(_ step: PlanStep) async throws -> String {
    guard let port = step.port else { return "no HTTP front: the database check was the last" }
    let url = "http://127.0.0.1:\(port)\(healthPath)"
    var answer = ""
    try await HealthProbe.wait(timeout: step.timeoutSeconds, step.name) {
      let result = await HealthProbe.http(url, client: http)
      return result
    }
    answer = (try? await http.send(.init(method: "GET", url: url)).bodyText) ?? ""
    return "GET \(url): \(answer.prefix(160))"
  }

  var healthPath: String { stack.components.first { $0.kind == .app }?.health ?? "/" }

  func haproxyConfiguration(_ component: StackComponent) -> String {
    let servers = component.backends.compactMap { stack.component(named: $0) }.map {
      "  server \($0.name) 127.0.0.1:\($0.port) check inter 1s fall 2 rise 1"
    }
    return """
      # Written by dr for the failover stack; rewritten on each run.
      global
        maxconn 512
      defaults
        mode http
        timeout connect 5s
        timeout client 60s
        timeout server 60s
      frontend front
        bind 127.0.0.1:\(component.port)
        default_backend apps
      backend apps
        option httpchk GET \(healthPath)
      \(servers.joined(separator: "\n"))

      """
  }
}
