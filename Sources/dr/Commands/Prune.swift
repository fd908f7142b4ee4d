import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRStorage
import Foundation

struct Prune: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Apply the retention policy: delete backups it does not keep, and debris.",
    discussion: """
      Keeps retention.keep_last and the newest backup of each of the last daily/weekly/monthly
      days, ISO weeks and months (UTC), always the newest good backup and a running one.
      Removes incomplete backups and multipart uploads older than the grace period.
      Published reports (dr report --publish) follow the same rule by their time; the newest
      and latest.EXT are always kept, and when the reports cannot be listed or a key under
      reports/ is not one dr writes, every report is kept and the prune exits 1.
      A backup whose manifest or verification record cannot be read (anything but "not
      found") is unknown: it is kept, named with the reason, and the prune exits 1; when
      unknowns could change what the rule keeps, nothing is deleted at all.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Print what would be deleted, delete nothing.")
  var dryRun = false

  @Option(help: "Incomplete backups and uploads younger than this may still be running (e.g. 24h, 30m).")
  var incompleteGrace: String = "24h"

  func run() async throws {
    guard let grace = DurationValue(parsing: incompleteGrace) else {
      throw ValidationError("--incomplete-grace: expected a duration such as 24h or 30m, got '\(incompleteGrace)'")
    }
    let environment = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: environment)
    let storage = try await StorageConnector(environment: environment).connect(policy.storage)
    let catalogue = Catalogue(storage: storage, policyName: policy.name)
    let pruner = Pruner(
      catalogue: catalogue, rule: policy.retention.map(RetentionRule.init(settings:)),
      incompleteGrace: TimeInterval(grace.seconds))
    let report = try await pruner.run(dryRun: dryRun)
    if global.json {
      try Output.json(report)
    } else {
      printHuman(report, policy: policy)
    }
    if !report.succeeded {
      let problems = report.failures.count + report.unknown.count + report.reports.problems.count
      throw CommandFailed(
        report.unknown.isEmpty ? "prune.failed" : "prune.unknown",
        "\(problems) problem(s): \(report.unknown.count) unknown backup(s), \(report.failures.count) failure(s), "
          + "\(report.reports.problems.count) report problem(s); what could not be read was kept")
    }
  }

  private func printHuman(_ report: Pruner.Report, policy: Policy) {
    if policy.retention == nil { Output.line("no retention in \(policy.file): every complete backup is kept") }
    for decision in report.decisions {
      if let until = report.locked[decision.id.rawValue] {
        Output.line(
          "keep   \(decision.id)  under Object Lock retention until \(until.formatted(.iso8601)); "
            + "deleted after that (\(decision.reasons.joined(separator: ", ")))")
        continue
      }
      let verb = decision.action == "keep" ? "keep  " : (report.dryRun ? "would delete" : "delete")
      Output.line("\(verb) \(decision.id)  \(decision.reasons.joined(separator: ", "))")
    }
    for upload in report.abortedUploads {
      Output.line("\(report.dryRun ? "would abort" : "abort") stale upload \(upload)")
    }
    for key in report.reports.removed { Output.line("\(report.dryRun ? "would delete" : "delete") report \(key)") }
    for failure in report.failures + report.reports.problems { Output.line("FAILED \(failure)") }
    for unknown in report.unknown { Output.line("UNKNOWN \(unknown.id): \(unknown.reason)") }
    if !report.unknown.isEmpty {
      Output.line(
        report.blocked
          ? "\(report.unknown.count) backup(s) could not be read and may change what the rule keeps: "
            + "nothing \(report.dryRun ? "would be" : "was") deleted; fix access to them (or remove them by hand) "
            + "and prune again"
          : "\(report.unknown.count) backup(s) could not be read: kept; the rest of the plan does not depend on them")
    }
    let removed = report.decisions.filter { $0.action == "remove" }.count - report.locked.count
    Output.line(
      report.dryRun
        ? "dry run: \(removed) backup(s) and \(report.abortedUploads.count) upload(s) would go; nothing deleted"
        : "deleted \(removed) backup(s) (\(report.deletedObjects) objects), aborted \(report.abortedUploads.count) upload(s)"
    )
  }
}
