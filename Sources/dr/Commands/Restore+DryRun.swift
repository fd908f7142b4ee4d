import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRRestore
import DRStorage
import Foundation
import Logging

extension Restore {
  /// `--dry-run`: the findings about the target, and exit 1 when one fails. Nothing is
  /// changed: no database, no role, no side database, no leftover of another dr removed.
  func lookAhead(_ url: PostgresURL, selection: BackupSelection, policy: Policy, logger: Logger) async throws {
    let environment = ProcessInfo.processInfo.environment
    let options = TargetRestore.DryRunOptions(
      allowOlderServer: allowOlderServer, noOwner: noOwner, replace: clean, database: database,
      partial: try partialRequest())
    let report = try await SignalTrap.run {
      let storage = try await StorageConnector(environment: environment).connect(policy.storage)
      let restore = TargetRestore(
        catalogue: Catalogue(storage: storage, policyName: policy.name), environment: environment,
        keys: KeyRing(policy: policy), logger: logger)
      return try await restore.dryRun(selection, target: url, options: options)
    }
    if global.json {
      try Output.json(report)
    } else {
      Self.printFindings(report)
    }
    if !report.ok {
      let failed = report.findings.filter { $0.status == .fail }.count
      throw CommandFailed(
        "restore.targetRefused", "the restore would fail: \(failed) finding(s) failed; nothing was changed")
    }
  }

  static func printFindings(_ report: TargetCheckReport) {
    Output.line("dr restore --dry-run: backup \(report.id) into \(report.target) (nothing was changed)")
    printFindingLines(report.findings, indent: "  ")
    let failed = report.findings.filter { $0.status == .fail }.count
    Output.line(
      failed == 0
        ? "nothing found that would stop the restore"
        : "\(failed) finding(s) would stop the restore: fix them, then run it again")
  }

  /// One line per finding, and its fix under it when it is not ok.
  static func printFindingLines(_ findings: [TargetFinding], indent: String) {
    let width = findings.map(\.check.count).max() ?? 0
    for finding in findings {
      let mark =
        switch finding.status {
        case .ok: "ok  "
        case .warn: "WARN"
        case .fail: "FAIL"
        }
      Output.line(
        "\(indent)\(mark) \(finding.check.padding(toLength: width, withPad: " ", startingAt: 0))  \(finding.detail)")
      if let fix = finding.fix, finding.status != .ok {
        Output.line("\(indent)     \(String(repeating: " ", count: width))  fix: \(fix)")
      }
    }
  }
}
