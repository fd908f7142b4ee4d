import DRPolicy

/// The steps of one stack component, described for people; drivers add their commands.
enum StepFactory {
  static func steps(for component: StackComponent, in input: PlannerInput, database: StackComponent?) -> [PlanStep] {
    let restoreName = "restore"
    var after = component.dependencies
    // Whatever needs the database waits for the restore, not just the server.
    if let database, after.contains(database.name) { after.append(restoreName) }
    switch component.kind {
    case .postgresql:
      let bytes = input.backup?.uncompressedBytes
      return [
        step(
          component.name, .postgresql, component, input, after: after,
          action: startAction(component, input),
          check: "SELECT 1 answers on 127.0.0.1:\(component.port)", timeout: 120),
        step(
          restoreName, .restore, component, input, after: [component.name], bytes: bytes,
          action: restoreAction(input.backup),
          check: input.backup?.resumed == nil
            ? "every table has the row count of the backup's manifest"
            : "dr's marker on \(input.backup?.database ?? "the database") names \(input.backup?.id ?? "the backup")",
          timeout: max(600, 10 * Double(bytes ?? 0) / EstimateHistory.defaultRestoreBytesPerSecond)),
      ]
    case .memcached:
      return [
        step(
          component.name, .memcached, component, input, after: after,
          action: "start memcached on 127.0.0.1:\(component.port) (\(component.memoryMB ?? 64) MiB)",
          check: "a set and get round trip on 127.0.0.1:\(component.port)", timeout: 30)
      ]
    case .app:
      return [
        step(
          component.name, .app, component, input, after: after,
          action:
            "run \(component.command.map { "\($0)" } ?? "the app") with PORT=\(component.port), DATABASE_URL, "
            + "MEMCACHED_SERVERS\(component.environment.keys.sorted().map { ", \($0)" }.joined()) and PATH alone",
          check: "GET http://127.0.0.1:\(component.port)\(component.health ?? "/") answers 200", timeout: 120)
      ]
    case .haproxy:
      return [
        step(
          component.name, .haproxy, component, input, after: after,
          action:
            "start haproxy on 127.0.0.1:\(component.port) in front of \(component.backends.joined(separator: ", "))",
          check: "GET http://127.0.0.1:\(component.port)/ reaches a healthy backend", timeout: 30)
      ]
    }
  }

  /// `start a PostgreSQL 17.10 cluster on 127.0.0.1:55432 (programs in DIR) for the dump of
  /// PostgreSQL 15`: which server the environment will run, for which dump.
  static func startAction(_ component: StackComponent, _ input: PlannerInput) -> String {
    let dump = input.backup.map { " for the dump of PostgreSQL \($0.restoreMajor)" } ?? ""
    guard let server = input.server else {
      return
        "start a PostgreSQL \(input.backup.map { "\($0.restoreMajor) " } ?? "")cluster on 127.0.0.1:\(component.port)"
    }
    return "start a PostgreSQL \(server.version) cluster on 127.0.0.1:\(component.port) (programs in \(server.source))"
      + dump
  }

  /// The restore, and what it does with a database that is there already (`RestoreRule`).
  static func restoreAction(_ backup: PlannedBackup?) -> String {
    let database = backup?.database ?? "the database"
    if let backup, backup.resumed != nil {
      return "resume: \(backup.id) is restored already; checked by dr's marker on \(database), nothing is restored"
    }
    return "restore \(backup?.id ?? "the latest good backup") (roles, then the dump of \(database) in one "
      + "transaction) when \(database) is absent or empty; never over other data"
  }

  /// The last step: a request through the front (haproxy, or the first app) that reads data.
  static func endToEnd(_ input: PlannerInput) -> PlanStep {
    let front = input.stack.components.first { $0.kind == .haproxy } ?? input.stack.components.first { $0.kind == .app }
    let path = input.stack.components.first { $0.kind == .app }?.health ?? "/"
    let target = front.map { "http://127.0.0.1:\($0.port)\(path)" } ?? "the database"
    let estimate = input.history.estimate(step: "end-to-end", kind: .endToEnd, restoreBytes: nil)
    return PlanStep(
      name: "end-to-end", kind: .endToEnd, component: front?.name, port: front?.port,
      action: "request \(target) through the rebuilt stack", check: "HTTP 200 from data read in the restored database",
      timeoutSeconds: 60, estimateSeconds: estimate.seconds, estimateSource: estimate.source,
      after: input.stack.components.map(\.name))
  }

  static func step(
    _ name: String, _ kind: PlanStep.Kind, _ component: StackComponent, _ input: PlannerInput, after: [String],
    bytes: Int64? = nil, action: String, check: String, timeout: Double
  ) -> PlanStep {
    let estimate = input.history.estimate(step: name, kind: kind, restoreBytes: bytes)
    return PlanStep(
      name: name, kind: kind, component: component.name, port: component.port, action: action, check: check,
      timeoutSeconds: timeout, estimateSeconds: estimate.seconds, estimateSource: estimate.source, after: after)
  }
}
