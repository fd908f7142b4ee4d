import ArgumentParser
import DRCore
import DRFailover
import DRPolicy
import DRRestore
import DRStorage
import Foundation
import Logging

/// `dr restore --env NAME`: the failover. Shows the plan, asks on a terminal unless --yes,
/// runs it with the environment's driver and its credentials, prints every step's time,
/// the RTO and the RPO. Running it again after a failed step resumes.
struct EnvironmentRestore {
  let global: GlobalOptions
  let env: String
  let selection: BackupSelection
  let yes: Bool

  func run() async throws {
    let session = try await EnvironmentSession.open(global, environment: env)
    let (policy, context, directory) = (session.policy, session.context, session.stateDirectory())
    // A rerun resumes with the backup the failover restored, unless another is named.
    let (plan, manifest) = try await context.plan(selection, stateDirectory: directory)
    guard plan.backup != nil else {
      throw FailoverError(.noBackup, "no complete backup in \(context.storage.location): nothing to restore")
    }
    if !global.json { PlanText.lines(plan, policy: policy.name).forEach(Output.line) }
    try confirm(plan)
    let driver = try FailoverDrivers.forRun(
      context: context, stack: context.stack, manifest: manifest, directory: directory, drill: false)
    let json = global.json
    let record = try await SignalTrap.run {
      try await FailoverRunner(context: context, driver: driver, kind: "failover").run(plan) { line in
        if !json { Output.line(line) }
      }
    }
    if json { return try Output.json(RunOutput(record: record)) }
    Output.line(
      String(
        format: "failover complete: RTO %.1f s (estimate %.1f s), RPO %@ (backup %@); %@",
        record.rtoSeconds, record.estimateSeconds, PlanText.age(record.rpoSeconds), record.backup,
        context.environment.driver == .juju
          ? "juju model \(context.jujuModel(drill: false))" : "stack state in \(directory)"))
    Output.line("stop it with: dr down --env \(env) --policy \(policy.name)")
  }

  private func confirm(_ plan: FailoverPlan) throws {
    guard !yes else { return }
    guard isatty(0) == 1 else {
      throw ValidationError("dr restore --env runs the plan above: confirm with --yes (no terminal to ask on)")
    }
    FileHandle.standardError.write(Data("Rebuild the \(env) stack now? Type the environment's name to go on: ".utf8))
    guard readLine()?.trimmingCharacters(in: .whitespaces) == env else {
      throw CommandFailed("restore.notConfirmed", "not confirmed: nothing was changed")
    }
  }
}
