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
    let session = try await EnvironmentSession.open(global, environment: env)
    let policy = session.policy
    // What `dr restore --env` would do now: resume with the backup the failover restored.
    let (plan, _) = try await session.context.plan(stateDirectory: session.stateDirectory())
    if global.json { return try Output.json(PlanOutput(plan: plan)) }
    for line in PlanText.lines(plan, policy: policy.name) { Output.line(line) }
    Output.line("Carry it out: dr restore --env \(env) --policy \(policy.name)   (rehearse: dr drill --env \(env))")
  }
}
