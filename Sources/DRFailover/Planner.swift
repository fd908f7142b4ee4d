import DRCore
import DRPolicy
import Foundation

/// What the planner knows besides the policy: the backup, what past runs measured, how
/// old things are.
public struct PlannerInput: Sendable {
  public var environment: EnvironmentSettings
  /// The policy's stack with the environment's ports.
  public var stack: StackSettings
  public var backup: PlannedBackup?
  public var history: EstimateHistory
  /// `verify.max_age`: older than this, the newest verified backup is a warning.
  public var maxAge: TimeInterval?
  /// When the environment's credentials last passed `dr check --env` (nil: never).
  public var credentialsCheckedAt: Date?
  public var now: Date
  /// The juju model a `driver: juju` plan works in (nil: named after the environment).
  public var jujuModel: String?
  /// What choosing the backup found uncertain: newer backups that could not be read.
  public var selectionWarnings: [String] = []
  /// The PostgreSQL the environment will run (nil: not known).
  public var server: PlannedServer?

  public init(
    environment: EnvironmentSettings, stack: StackSettings, backup: PlannedBackup?, history: EstimateHistory,
    maxAge: TimeInterval?, credentialsCheckedAt: Date?, now: Date, jujuModel: String? = nil
  ) {
    self.environment = environment
    self.stack = stack
    self.backup = backup
    self.history = history
    self.maxAge = maxAge
    self.credentialsCheckedAt = credentialsCheckedAt
    self.now = now
    self.jujuModel = jujuModel
  }
}

/// Turns a stack into an ordered plan: every component after what it needs, the restore
/// right after PostgreSQL (apps that need the database wait for it), an end-to-end check
/// last. Pure: same input, same plan.
public enum Planner {
  public static func plan(_ input: PlannerInput) throws(FailoverError) -> FailoverPlan {
    guard !input.stack.components.isEmpty else {
      throw FailoverError(.noStack, "the policy has no stack: add stack: {postgresql: {port: …}, …} to plan a failover")
    }
    var steps: [PlanStep] = []
    let database = input.stack.components.first { $0.kind == .postgresql }
    for component in try StackOrdering.ordered(input.stack) {
      steps += StepFactory.steps(for: component, in: input, database: database)
    }
    steps.append(StepFactory.endToEnd(input))
    if input.environment.driver == .juju {
      let juju = JujuCommands(input: input)
      steps = steps.map { step in
        var described = juju.described(step)
        described.commands = juju.commands(for: step)
        return described
      }
    }
    return FailoverPlan(
      environment: input.environment.name, driver: input.environment.driver.rawValue, backup: input.backup,
      steps: steps, warnings: warnings(input), server: input.server)
  }

  static func warnings(_ input: PlannerInput) -> [String] {
    var warnings: [String] = []
    if let backup = input.backup {
      if !backup.verified {
        warnings.append(
          backup.resumed == nil
            ? "no backup has passed a verification: \(backup.id) is complete but untested"
            : "\(backup.id), which the failover resumes with, has not passed a verification")
      }
      if let server = input.server, server.major < backup.restoreMajor {
        warnings.append(
          "the environment's PostgreSQL \(server.major) (\(server.source)) is older than the dump (PostgreSQL "
            + "\(backup.restoreMajor)): the restore may fail on what \(server.major) lacks")
      }
      if let maxAge = input.maxAge, backup.ageSeconds > maxAge {
        warnings.append(
          "the backup is \(Age.text(backup.ageSeconds)) old, older than verify.max_age (\(Age.text(maxAge)))")
      }
    } else {
      warnings.append("no complete backup in the environment's storage: nothing to restore")
    }
    warnings += input.selectionWarnings
    if let checked = input.credentialsCheckedAt {
      let days = Int(input.now.timeIntervalSince(checked) / 86_400)
      if days >= 2 { warnings.append("the \(input.environment.name) credentials were last checked \(days) days ago") }
    } else {
      warnings.append(
        "the \(input.environment.name) credentials were never checked (dr check --env \(input.environment.name))")
    }
    return warnings
  }
}

/// Dependency order of the stack: stable (the policy's order where nothing forces another).
enum StackOrdering {
  static func ordered(_ stack: StackSettings) throws(FailoverError) -> [StackComponent] {
    var done: [String] = []
    var remaining = stack.components
    while !remaining.isEmpty {
      guard let next = remaining.firstIndex(where: { $0.dependencies.allSatisfy(done.contains) }) else {
        throw FailoverError(
          .noStack, "the stack's needs form a cycle among \(remaining.map(\.name).joined(separator: ", "))")
      }
      done.append(remaining[next].name)
      remaining.remove(at: next)
    }
    return done.compactMap { stack.component(named: $0) }
  }
}

/// Durations for people: `45 s`, `12 min`, `5 h`, `3 d`.
enum Age {
  static func text(_ seconds: Double) -> String {
    switch seconds {
    case ..<120: "\(Int(seconds)) s"
    case ..<7_200: "\(Int(seconds / 60)) min"
    case ..<172_800: "\(Int(seconds / 3_600)) h"
    default: "\(Int(seconds / 86_400)) d"
    }
  }
}
