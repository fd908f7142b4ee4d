import ArgumentParser
import DRCore
import DRFailover
import DRPolicy
import DRRestore
import Foundation
import Logging

struct Drill: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Rehearse the failover into an isolated stack (own ports and directories), measure it, tear it down.",
    discussion: "The drill's record goes to the bucket; its measured step times feed the next plan's estimates.")

  @OptionGroup var global: GlobalOptions

  @Option(help: "The environment to rehearse.")
  var env: String

  @Option(help: "A backup ID, or latest (the latest good).")
  var backup: String?

  func run() async throws {
    guard let selection = BackupSelection(backup) else {
      throw ValidationError("--backup: expected a backup ID or latest")
    }
    let session = try await EnvironmentSession.open(global, environment: env)
    let (policy, context, directory) = (session.policy, session.context, session.stateDirectory(drill: true))
    let stack = try context.stack.onFreePorts()
    let (plan, manifest) = try await context.plan(selection, stack: stack, drill: true)
    let driver = try FailoverDrivers.forRun(
      context: context, stack: stack, manifest: manifest, directory: directory, drill: true)
    let json = global.json
    if !json {
      Output.line(
        context.environment.driver == .juju
          ? "drill of \(env) (policy \(policy.name)) in the juju model \(context.jujuModel(drill: true))"
          : "drill of \(env) (policy \(policy.name)) in \(directory), on ports of its own")
    }
    let outcome = await Result(catching: {
      try await SignalTrap.run {
        try await FailoverRunner(context: context, driver: driver, kind: "drill").run(plan) { line in
          if !json { Output.line(line) }
        }
      }
    })
    await Task.detached { await driver.down(purge: true) }.value
    let record = try outcome.get()
    if json { return try Output.json(RunOutput(record: record)) }
    Output.line(
      String(
        format: "drill complete: RTO %.1f s measured against %.1f s estimated; RPO %@; stack torn down",
        record.rtoSeconds, record.estimateSeconds, PlanText.age(record.rpoSeconds)))
  }
}

extension Result where Failure == any Error {
  init(catching body: () async throws -> Success) async {
    do {
      self = .success(try await body())
    } catch {
      self = .failure(error)
    }
  }
}
