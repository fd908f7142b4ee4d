import ArgumentParser
import DRCore
import DRFailover
import DRHTTP
import DRPreflight
import DRRestore
import Foundation

struct Check: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Preflight: the policy is valid, the database and storage answer, pg_dump fits the server.",
    discussion: "Exits 1 when any check fails, with what to do in its line."
  )

  @OptionGroup var global: GlobalOptions

  @Option(help: "Check an environment's failover instead: its credentials, programs, ports and disk.")
  var env: String?

  func run() async throws {
    let policy = try global.loadPolicy()
    let environment = ProcessInfo.processInfo.environment
    let report =
      if let env {
        await EnvironmentPreflight(
          policy: policy, environmentName: env, variables: environment, stateRoot: StateDirectory.root(environment)
        ).run()
      } else {
        await Preflight(policy: policy, environment: environment, http: HTTPClient()).run()
      }
    if global.json {
      try Output.json(report)
    } else {
      printHuman(report)
    }
    if !report.ok {
      let failed = report.checks.filter { $0.status == .failed }.map(\.name)
      let target = (report.target ?? []).filter { $0.status == .fail }.count
      throw CommandFailed(
        "check.failed",
        "failed: " + (failed + (target > 0 ? ["\(target) restore target finding(s)"] : [])).joined(separator: ", "))
    }
  }

  private func printHuman(_ report: PreflightReport) {
    Output.line("dr check: policy \(report.policy) (\(report.file))\(env.map { ", environment \($0)" } ?? "")")
    let width = report.checks.map(\.name.count).max() ?? 0
    for check in report.checks {
      let mark =
        switch check.status {
        case .ok: "ok     "
        case .failed: "FAILED "
        case .skipped: "skipped"
        }
      Output.line("  \(mark) \(check.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.detail)")
    }
    if let target = report.target, !target.isEmpty {
      Output.line("  the restore's target, before anything changes:")
      Restore.printFindingLines(target, indent: "    ")
    }
    let failedChecks = report.checks.filter { $0.status == .failed }.count
    let failedFindings = (report.target ?? []).filter { $0.status == .fail }.count
    let failed = failedChecks + failedFindings
    Output.line(failed == 0 ? "all checks passed" : "\(failed) check(s) failed")
  }
}
