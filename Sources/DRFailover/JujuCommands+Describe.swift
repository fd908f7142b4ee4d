import DRPolicy

extension JujuCommands {
  /// Seconds a deploy step may take: `juju wait-for`'s own timeout, and a minute more.
  static let deployTimeoutSeconds: Double = 21 * 60
  /// The default estimate of a deploy when no juju drill has measured one.
  static let deployEstimateSeconds: Double = 180

  /// `step` as the juju driver carries it out: what it does and how it is checked in the
  /// model, with juju's timeouts. Estimates are kept when a drill of this environment
  /// measured them; otherwise a deploy is estimated at minutes, not the local defaults.
  func described(_ step: PlanStep) -> PlanStep {
    var result = step
    let name = step.component ?? step.name
    switch step.kind {
    case .postgresql, .memcached, .app, .haproxy:
      let relations = relationsOf(step)
      result.action =
        "deploy the \(name) charm in model \(model)"
        + (relations.isEmpty ? "" : ", related to \(relations.joined(separator: ", "))")
      result.check = "juju wait-for: \(name) is active"
      result.timeoutSeconds = Self.deployTimeoutSeconds
      if !step.estimateSource.contains("drill") {
        result.estimateSeconds = Self.deployEstimateSeconds
        result.estimateSource = "a default for a juju deploy"
      }
    case .restore:
      let database = database ?? "the database"
      result.action =
        "probe \(database) on postgresql/leader; when it is absent or empty, copy the dump to the unit (juju scp) "
        + "and pg_restore it there in one transaction; skipped when it holds this backup (dr's marker), stopped "
        + "when it holds anything else (never dropped)"
      result.check = "every table has the row count of the backup's manifest (psql through juju ssh)"
    case .endToEnd:
      result.action = "request \(stack.components.first { $0.kind == .app }?.health ?? "/") through \(name)"
      result.check = "curl on \(name)/leader answers 200"
    }
    return result
  }

  private func relationsOf(_ step: PlanStep) -> [String] {
    guard let component = stack.component(named: step.component ?? "") else { return [] }
    return step.kind == .haproxy ? component.backends : component.needs
  }
}
