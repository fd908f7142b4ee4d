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
    guard FileManager.default.fileExists(atPath: directory) else {
      return Output.line("nothing to stop: \(directory) does not exist")
    }
    let stack = environment.stack(over: policy.stack)
    let driver = try LocalDriverHandle.make(directory: directory, environment: env, stack: stack, variables: variables)
    await driver.down(purge: purge)
    Output.line(
      "stopped the \(env) stack\(purge ? " and deleted \(directory)" : " (data kept in \(directory); --purge deletes it)")"
    )
  }
}

/// A driver for stopping things, which needs no storage or backup.
enum LocalDriverHandle {
  static func make(directory: String, environment: String, stack: StackSettings, variables: [String: String]) throws
    -> LocalDriver
  {
    try LocalDriver(
      directory: directory, environmentName: environment, stack: stack, manifest: nil, storage: nil,
      environment: variables)
  }
}
