import ArgumentParser
import DRCore
import DRFailover
import DRPolicy
import Foundation

struct Plan: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Print the failover plan for an environment, step by step, without acting.")

  @OptionGroup var global: GlobalOptions

  @Option(help: "The environment (policy environments: failover, …).")
  var env: String

  func run() async throws {
    let variables = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: variables)
    let context = try await FailoverContext.connect(policy: policy, environment: env, variables: variables)
    // What `dr restore --env` would do now: resume with the backup the failover restored.
    let directory = StateDirectory.forEnvironment(policy: policy.name, environment: env, variables: variables)
    let (plan, _) = try await context.plan(stateDirectory: directory)
    if global.json { return try Output.json(PlanOutput(plan: plan)) }
    for line in PlanText.lines(plan, policy: policy.name) { Output.line(line) }
    Output.line("Carry it out: dr restore --env \(env) --policy \(policy.name)   (rehearse: dr drill --env \(env))")
  }
}
