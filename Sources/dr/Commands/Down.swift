import ArgumentParser
import DRCore
import DRFailover
import DRPolicy
import Foundation

struct Down: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Stop what dr restore --env started (apps, haproxy, memcached, PostgreSQL).",
    discussion: "The restored cluster's data stays unless --purge.")

  @OptionGroup var global: GlobalOptions

  @Option(help: "The environment.")
  var env: String

  @Flag(help: "Also delete the environment's directory: the restored cluster, its logs and state.")
  var purge = false

  func run() async throws {
    let variables = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: variables)
    guard let environment = policy.environment(named: env) else {
      throw ValidationError("--env: no environment named '\(env)' in \(policy.file)")
    }
    let directory = StateDirectory.forEnvironment(policy: policy.name, environment: env, variables: variables)
    if environment.driver == .local, !FileManager.default.fileExists(atPath: directory) {
      return try Output.done("nothing to stop: \(directory) does not exist", json: global.json)
    }
    let driver = try FailoverDrivers.forStopping(
      policy: policy, environment: environment, directory: directory, variables: variables)
    if let juju = driver as? JujuDriver {
      let model = juju.commands.model
      guard purge else {
        return try Output.done("the juju model \(model) is left running; --purge destroys it", json: global.json)
      }
      try await juju.destroyModel()
      return try Output.done("destroyed the juju model \(model) and its storage", json: global.json)
    }
    await driver.down(purge: purge)
    try Output.done(
      "stopped the \(env) stack\(purge ? " and deleted \(directory)" : " (data kept in \(directory); --purge deletes it)")",
      json: global.json)
  }
}
