import DRCore
import DRFailover
import Foundation

/// The plan as people read it at 3 a.m.
enum PlanText {
  static func lines(_ plan: FailoverPlan, policy: String) -> [String] {
    var lines = ["Failover plan: policy \(policy) → environment \(plan.environment) (driver \(plan.driver))"]
    if let backup = plan.backup {
      lines.append(
        "Backup: \(backup.id) from \(backup.location), taken \(backup.startedAt.formatted(.iso8601)), "
          + "\(age(backup.ageSeconds)) old (the RPO if production died now); \(backup.verified ? "verified" : "NOT verified")"
      )
      if let resumed = backup.resumed { lines.append(resumption(backup.id, resumed, environment: plan.environment)) }
      lines.append(
        "PostgreSQL: the dump is of PostgreSQL \(backup.restoreMajor)"
          + (plan.server.map { "; the environment will run \($0.version) (\($0.source))" } ?? ""))
    } else {
      lines.append("Backup: NONE FOUND")
    }
    lines.append("Steps:")
    for (index, step) in plan.steps.enumerated() {
      let number = String(index + 1)
      lines.append(
        "  " + String(repeating: " ", count: max(0, 2 - number.count)) + number + ". "
          + step.name.padding(toLength: max(12, step.name.count), withPad: " ", startingAt: 0) + " " + step.action)
      lines.append(
        "      check: \(step.check); ~\(seconds(step.estimateSeconds)) (\(step.estimateSource)), timeout \(Int(step.timeoutSeconds)) s"
      )
      for command in step.commands { lines.append("      $ \(command)") }
    }
    lines.append("Expected total (RTO): ~\(seconds(plan.estimateSeconds))")
    if !plan.warnings.isEmpty {
      lines.append("Warnings:")
      lines += plan.warnings.map { "  - \($0)" }
    }
    return lines
  }

  /// `Resuming the failover of backup A, restored at T (…); a newer backup B exists: …`.
  static func resumption(_ id: String, _ resumed: PlannedBackup.Resumption, environment: String) -> String {
    let when = resumed.restoredAt.map { "restored at \($0.formatted(.iso8601))" } ?? "restored (time not recorded)"
    let newer =
      resumed.newer.map {
        "; a newer backup \($0) exists: it is not restored over the failover's data (dr down --env \(environment) "
          + "--purge, then run again, to start over with it)"
      } ?? ""
    return "Resuming the failover of backup \(id), \(when) (state in \(resumed.stateDirectory))" + newer
  }

  static func seconds(_ value: Double) -> String {
    value < 100 ? String(format: "%.1f s", value) : "\(Int(value / 60)) min"
  }

  static func age(_ seconds: Double) -> String {
    switch seconds {
    case ..<120: "\(Int(seconds)) s"
    case ..<7_200: "\(Int(seconds / 60)) min"
    case ..<172_800: "\(Int(seconds / 3_600)) h"
    default: "\(Int(seconds / 86_400)) d"
    }
  }
}
