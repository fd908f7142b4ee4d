import DRCore
import DRFailover
import Foundation

/// Where a local failover keeps its cluster, logs and state: `$DR_STATE_DIR`, else
/// /var/lib/dr when running as root, else ~/.local/state/dr; one directory per policy and
/// environment.
enum StateDirectory {
  static func forEnvironment(policy: String, environment: String, variables: [String: String]) -> String {
    "\(root(variables))/\(policy)-\(environment)"
  }

  static func root(_ variables: [String: String]) -> String {
    if let dir = variables["DR_STATE_DIR"], !dir.isEmpty { return dir }
    if geteuid() == 0 { return "/var/lib/dr" }
    return (variables["HOME"] ?? NSTemporaryDirectory()) + "/.local/state/dr"
  }
}

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

/// `dr plan --json`: the contract's backup and steps (name, action, check, estimate_seconds).
struct PlanOutput: Encodable {
  let plan: FailoverPlan

  enum Keys: String, CodingKey {
    case environment, driver, backup, steps, warnings, estimateSeconds = "estimate_seconds"
  }

  enum StepKeys: String, CodingKey {
    case name, kind, action, check, estimateSeconds = "estimate_seconds", estimateSource = "estimate_source"
    case timeoutSeconds = "timeout_seconds", port, after, commands
  }

  enum BackupKeys: String, CodingKey {
    case id, startedAt = "started_at", ageSeconds = "age_seconds", sizeBytes = "size_bytes", verified, location
    case resumed
  }

  enum ResumedKeys: String, CodingKey {
    case restoredAt = "restored_at", newerBackup = "newer_backup", stateDirectory = "state_directory"
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(plan.environment, forKey: .environment)
    try container.encode(plan.driver, forKey: .driver)
    try container.encode(plan.warnings, forKey: .warnings)
    try container.encode(plan.estimateSeconds, forKey: .estimateSeconds)
    if let backup = plan.backup {
      var nested = container.nestedContainer(keyedBy: BackupKeys.self, forKey: .backup)
      try nested.encode(backup.id, forKey: .id)
      try nested.encode(backup.startedAt.formatted(.iso8601), forKey: .startedAt)
      try nested.encode(backup.ageSeconds, forKey: .ageSeconds)
      try nested.encode(backup.sizeBytes, forKey: .sizeBytes)
      try nested.encode(backup.verified, forKey: .verified)
      try nested.encode(backup.location, forKey: .location)
      if let resumed = backup.resumed {
        var resumption = nested.nestedContainer(keyedBy: ResumedKeys.self, forKey: .resumed)
        try resumption.encode(resumed.restoredAt?.formatted(.iso8601), forKey: .restoredAt)
        try resumption.encode(resumed.newer, forKey: .newerBackup)
        try resumption.encode(resumed.stateDirectory, forKey: .stateDirectory)
      } else {
        try nested.encodeNil(forKey: .resumed)
      }
    } else {
      try container.encodeNil(forKey: .backup)
    }
    var steps = container.nestedUnkeyedContainer(forKey: .steps)
    for step in plan.steps {
      var nested = steps.nestedContainer(keyedBy: StepKeys.self)
      try nested.encode(step.name, forKey: .name)
      try nested.encode(step.kind.rawValue, forKey: .kind)
      try nested.encode(step.action, forKey: .action)
      try nested.encode(step.check, forKey: .check)
      try nested.encode(step.estimateSeconds, forKey: .estimateSeconds)
      try nested.encode(step.estimateSource, forKey: .estimateSource)
      try nested.encode(step.timeoutSeconds, forKey: .timeoutSeconds)
      try nested.encodeIfPresent(step.port, forKey: .port)
      try nested.encode(step.after, forKey: .after)
      try nested.encode(step.commands, forKey: .commands)
    }
  }
}

/// `dr restore --env --json` and `dr drill --json`: steps with measured seconds, rto and rpo.
struct RunOutput: Encodable {
  let record: FailoverRecord

  enum Keys: String, CodingKey {
    case id, kind, environment, outcome, steps, rtoSeconds = "rto_seconds", rpoSeconds = "rpo_seconds"
    case estimateSeconds = "estimate_seconds", durationSeconds = "duration_seconds"
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(record.backup, forKey: .id)
    try container.encode(record.kind, forKey: .kind)
    try container.encode(record.environment, forKey: .environment)
    try container.encode(record.outcome, forKey: .outcome)
    try container.encode(
      record.steps.map { ["name": $0.name, "seconds": String(format: "%.3f", $0.seconds), "outcome": $0.outcome] },
      forKey: .steps)
    try container.encode(record.rtoSeconds, forKey: .rtoSeconds)
    try container.encode(record.rtoSeconds, forKey: .durationSeconds)
    try container.encode(record.rpoSeconds, forKey: .rpoSeconds)
    try container.encode(record.estimateSeconds, forKey: .estimateSeconds)
  }
}
