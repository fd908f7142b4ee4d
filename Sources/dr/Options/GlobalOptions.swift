import ArgumentParser
import DRCore
import DRPolicy
import Foundation
import Logging

/// Options every command takes, before or after the subcommand's name.
struct GlobalOptions: ParsableArguments {
  @Option(name: .long, help: "A policy name (policies/NAME.yaml) or a path. Default: the only policy.")
  var policy: String?

  @Flag(
    name: .long,
    help:
      "Print the result as JSON on standard output; a failure as {\"outcome\": \"failed\", \"error\": {code, message}}."
  )
  var json = false

  @Flag(name: .shortAndLong, help: "Log more: what dr does step by step.")
  var verbose = false

  @Option(
    name: .long,
    help: "Log lines: auto (human on a terminal), human or json (typed fields, policy and backup_id on each line).")
  var logFormat: LogFormat = .auto

  func bootstrapLogging(service: Bool = false) {
    LoggingSetup.bootstrap(format: logFormat, level: verbose ? .debug : .info, service: service)
  }

  /// Finds and loads the policy, registering its secrets with the redactor.
  func loadPolicy(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Policy {
    let path = try PolicyLocator(environment: environment).resolve(policy)
    let loaded = try PolicyLoader(environment: environment).load(path: path)
    SecretRegistry.shared.register(contentsOf: loaded.secrets)
    LogContext.policy = loaded.name
    return loaded
  }
}

extension LogFormat: ExpressibleByArgument {}

/// A command whose global options configure logging before it runs.
protocol GlobalOptionsProviding {
  var global: GlobalOptions { get }
  /// A long-running service: logs go to standard output, JSON lines when piped.
  var isService: Bool { get }
}

extension GlobalOptionsProviding {
  var isService: Bool { false }
}

extension DR: GlobalOptionsProviding {}
