import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRRestore
import DRStorage
import DRVerify
import Foundation
import Logging

struct Verify: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Test-restore a backup (default: the newest) into a scratch database and check it.",
    discussion: """
      Restores globals and dump into a throwaway cluster (verify.scratch: local) or a scratch
      database on verify.scratch_url, compares every table's row count with the manifest, runs
      verify.checks, removes the scratch target and writes the record to the bucket.
      Exit 0 passed, 3 failed, 1 could not run.
      """)

  @OptionGroup var global: GlobalOptions

  @OptionGroup var storageOption: StorageOption

  @Option(help: "A backup ID, latest (the newest complete), or all-unverified.")
  var backup: String?

  @Option(
    help: "pg_restore jobs; 1 streams the dump into pg_restore as it downloads, more go through a temporary file.")
  var jobs: Int = RestoreDefaults.jobs

  func run() async throws {
    guard let selection = BackupSelection(backup) else {
      throw ValidationError("--backup: expected a backup ID (20261124T221900Z-7f3a), latest or all-unverified")
    }
    let environment = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: environment)
    let logger = Logger(label: "dr.verify")
    let status = StatusLine(logger: logger)
    let progress = RestoreProgress()
    let ticker = progress.show(on: status)
    defer {
      ticker.cancel()
      status.clear()
    }
    let records = try await SignalTrap.run { [jobs] in
      let reaper = ScratchReaper(logger: logger)
      await reaper.reap(temporaryDirectory: NSTemporaryDirectory())
      if case .server(let url) = policy.verify.scratch { await reaper.reap(server: url) }
      let storage = try await StorageConnector(environment: environment).connect(try storageOption.settings(policy))
      let verifier = Verifier(policy: policy, storage: storage, environment: environment, progress: progress)
      let ids = try selection.forVerification(try await verifier.catalogue.entries())
      var records: [VerificationRecord] = []
      for id in ids {
        LogContext.backupID = id.rawValue
        records.append(try await verifier.verify(id, jobs: jobs))
      }
      return records
    }
    ticker.cancel()
    status.clear()
    try report(records, single: selection != .allUnverified)
    let failed = records.filter { $0.outcome == .failed }.map(\.backup.rawValue)
    if !failed.isEmpty {
      throw CommandFailed(
        "verify.failed", "backup(s) failed verification: \(failed.joined(separator: ", "))",
        status: .verificationFailed,
        category: .corrupt)
    }
    // The verifier's own host or settings kept it from finishing: not the backup's fault.
    let inconclusive = records.filter { $0.outcome == .inconclusive }.map(\.backup.rawValue)
    if !inconclusive.isEmpty {
      throw CommandFailed(
        "verify.inconclusive",
        "verification inconclusive (not the backup's fault): \(inconclusive.joined(separator: ", "))")
    }
  }

  private func report(_ records: [VerificationRecord], single: Bool) throws {
    if global.json {
      let outputs = records.map(VerificationSummary.init)
      return single && outputs.count == 1 ? try Output.json(outputs[0]) : try Output.json(outputs)
    }
    if records.isEmpty { Output.line("nothing to verify: every complete backup has a verification") }
    for record in records {
      let phases = record.phases
      Output.line(
        "verification of \(record.backup): \(record.outcome.rawValue.uppercased()) in "
          + String(
            format: "%.1f s (download %.1f, decompress %.1f, restore %.1f, checks %.1f)", record.durationSeconds,
            phases.download, phases.decompress, phases.restore, phases.checks)
          + "; \(record.tablesCompared) tables compared, \(record.checksRun) checks, scratch \(record.scratch)")
      let word = record.outcome == .inconclusive ? "INCONCLUSIVE" : "FAILED"
      for failure in record.failures { Output.line("  \(word) \(failure.kind) \(failure.subject): \(failure.detail)") }
      for note in record.notes ?? [] { Output.line("  note: \(note)") }
    }
  }
}
