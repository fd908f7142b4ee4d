import Foundation

/// `dr plan --json`: the contract's backup and steps (name, action, check, estimate_seconds).
public struct PlanOutput: Encodable {
  public let plan: FailoverPlan

  public init(plan: FailoverPlan) {
    self.plan = plan
  }

  enum Keys: String, CodingKey {
    case environment, driver, backup, steps, warnings, estimateSeconds = "estimate_seconds", server
  }

  enum ServerKeys: String, CodingKey {
    case major, version, source
  }

  enum StepKeys: String, CodingKey {
    case name, kind, action, check, estimateSeconds = "estimate_seconds", estimateSource = "estimate_source"
    case timeoutSeconds = "timeout_seconds", port, after, commands
  }

  enum BackupKeys: String, CodingKey {
    case id, startedAt = "started_at", ageSeconds = "age_seconds", sizeBytes = "size_bytes", verified, location
    case resumed, serverMajor = "server_major", dumpMajor = "dump_major"
  }

  enum ResumedKeys: String, CodingKey {
    case restoredAt = "restored_at", newerBackup = "newer_backup", stateDirectory = "state_directory"
  }

  public func encode(to encoder: any Encoder) throws {
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
      try nested.encode(backup.serverMajor, forKey: .serverMajor)
      try nested.encode(backup.restoreMajor, forKey: .dumpMajor)
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
    if let server = plan.server {
      var nested = container.nestedContainer(keyedBy: ServerKeys.self, forKey: .server)
      try nested.encode(server.major, forKey: .major)
      try nested.encode(server.version, forKey: .version)
      try nested.encode(server.source, forKey: .source)
    } else {
      try container.encodeNil(forKey: .server)
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
public struct RunOutput: Encodable {
  public let record: FailoverRecord

  public init(record: FailoverRecord) {
    self.record = record
  }

  enum Keys: String, CodingKey {
    case id, kind, environment, outcome, steps, rtoSeconds = "rto_seconds", rpoSeconds = "rpo_seconds"
    case estimateSeconds = "estimate_seconds", durationSeconds = "duration_seconds"
  }

  public func encode(to encoder: any Encoder) throws {
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
