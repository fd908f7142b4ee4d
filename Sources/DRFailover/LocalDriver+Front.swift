import DRCore
import DRPolicy
import Foundation

extension LocalDriver {
  /// The app, with its connections in its environment: PORT, DATABASE_URL (the restored
  /// database, as the role that made the backup) and MEMCACHED_SERVERS.
  func startApp(_ step: PlanStep) async throws -> String {
    let component = try component(step)
    let health = "http://127.0.0.1:\(component.port)\(component.health ?? "/")"
    if let pid = state.pids[component.name], Daemon.isRunning(pid), await HealthProbe.http(health, client: http).ok {
      return "already running on 127.0.0.1:\(component.port)"
    }
    if let pid = state.pids[component.name] { await Daemon.stop(pid) }
    var variables = environment
    variables["PORT"] = "\(component.port)"
    if let database = stack.components.first(where: { $0.kind == .postgresql }), let manifest {
      variables["DATABASE_URL"] =
        "postgresql://\(manifest.database.user)@127.0.0.1:\(database.port)/\(manifest.database.name)"
    }
    if let cache = stack.components.first(where: { $0.kind == .memcached }) {
      variables["MEMCACHED_SERVERS"] = "127.0.0.1:\(cache.port)"
    }
    let pid = try Daemon.start(
      "/bin/sh", ["-c", "exec \(component.command ?? "false")"], environment: variables,
      directory: FileManager.default.currentDirectoryPath, log: "\(directory)/\(component.name).log")
    try record { $0.pids[component.name] = pid }
    try await HealthProbe.wait(timeout: step.timeoutSeconds, step.name) {
      guard Daemon.isRunning(pid) else { return (false, "the app exited (see \(directory)/\(component.name).log)") }
      return await HealthProbe.http(health, client: http)
    }
    return "\(component.command ?? "") on 127.0.0.1:\(component.port) (pid \(pid))"
  }

  func startHAProxy(_ step: PlanStep) async throws -> String {
    let component = try component(step)
    let front = "http://127.0.0.1:\(component.port)\(healthPath)"
    if let pid = state.pids[component.name], Daemon.isRunning(pid), await HealthProbe.http(front, client: http).ok {
      return "already running on 127.0.0.1:\(component.port)"
    }
    if let pid = state.pids[component.name] { await Daemon.stop(pid) }
    let configuration = "\(directory)/haproxy.cfg"
    try haproxyConfiguration(component).write(toFile: configuration, atomically: true, encoding: .utf8)
    let pid = try Daemon.start(
      try executable("haproxy"), ["-f", configuration], environment: [:], directory: nil,
      log: "\(directory)/haproxy.log")
    try record { $0.pids[component.name] = pid }
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
