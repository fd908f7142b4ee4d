import DRFailover
import DRPolicy
import Foundation

/// What `dr plan`, `dr drill` and `dr restore --env` start from: the policy, the
/// environment connected with its own credentials, and where its state lives.
struct EnvironmentSession {
  let variables: [String: String]
  let policy: Policy
  let environment: String
  let context: FailoverContext

  static func open(_ global: GlobalOptions, environment: String) async throws -> EnvironmentSession {
    let variables = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: variables)
    let context = try await FailoverContext.connect(policy: policy, environment: environment, variables: variables)
    return EnvironmentSession(variables: variables, policy: policy, environment: environment, context: context)
  }

  /// The failover's state directory; a drill has one of its own.
  func stateDirectory(drill: Bool = false) -> String {
    drill
      ? StateDirectory.forDrill(policy: policy.name, environment: environment, variables: variables)
      : StateDirectory.forEnvironment(policy: policy.name, environment: environment, variables: variables)
  }
}
