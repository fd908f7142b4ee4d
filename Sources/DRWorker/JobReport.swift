import DRBackup
import DRCore
import DRPreflight
import DRVerify
import Foundation

/// What a job's `dr … --json` child printed and how it ended, decoded with the types that
/// printed it (`BackupResult`, `VerificationSummary`, `PreflightReport`, `Pruner.Report`,
/// `CopyLine`, and `CommandFailure` for a command that failed before it had a result).
public struct JobReport: Sendable, Equatable {
  /// The exit status (128 + signal when killed).
  public var status: Int32
  /// The backup's ID, or the verified backup's.
  public var backupID: String?
  public var durationSeconds: Double?
  public var sizeBytes: Int64?
  /// The restore phase of a verification, in seconds.
  public var restoreSeconds: Double?
  /// Why it failed, in words: the command's own, else the last lines of its standard error.
  public var reason: String?
  /// The child's error's code (`backup.locked`, `s3.server.AccessDenied`), when it printed one.
  public var errorCode: String?
  /// The failure's category: the child's error's own when it printed one.
  public var category: FailureCategory?
  /// Another backup of the policy held its lease (`"locked": true`).
  public var locked = false
  /// A verification that the verifier's own host or settings kept from finishing.
  public var inconclusive = false

  public var succeeded: Bool { status == 0 }
  /// Stopped by SIGINT or SIGTERM (exit 130 or 143, or killed by them): not a failure of
  /// the job, and another worker may run it.
  public var interrupted: Bool { [130, 143].contains(status) }

  public init(_ kind: JobKind, status: Int32, standardOutput: String, standardError: String) {
    self.status = status
    let data = Data(standardOutput.utf8)
    let decoder = CommandJSON.decoder
    if status != 0, let failure = try? decoder.decode(CommandFailure.self, from: data) {
      reason = failure.error.message
      errorCode = failure.error.code
      category = failure.category
      durationSeconds = failure.durationSeconds
      locked = failure.locked ?? (failure.error.code == "backup.locked")
    } else {
      read(kind, data, decoder)
    }
    if status != 0, reason == nil {
      reason = standardError.split(separator: "\n").suffix(3).joined(separator: " | ")
    }
    reason = reason?.redacted
  }

  private mutating func read(_ kind: JobKind, _ data: Data, _ decoder: JSONDecoder) {
    switch kind {
    case .backup:
      guard let result = try? decoder.decode(BackupResult.self, from: data) else { return }
      (backupID, durationSeconds, sizeBytes) = (result.id.rawValue, result.durationSeconds, result.sizeBytes)
    case .verify:
      let one = try? decoder.decode(VerificationSummary.self, from: data)
      guard let summary = one ?? (try? decoder.decode([VerificationSummary].self, from: data))?.first else { return }
      (backupID, durationSeconds, restoreSeconds) = (summary.id, summary.durationSeconds, summary.phases.restore)
      let failures = summary.failures.map { "\($0.kind) \($0.subject): \($0.detail)" }
      inconclusive = summary.outcome == "inconclusive"
      if status != 0, !failures.isEmpty {
        (reason, category) = (failures.joined(separator: "; "), inconclusive ? nil : .corrupt)
      }
    case .check:
      guard let report = try? decoder.decode(PreflightReport.self, from: data) else { return }
      let failed = report.checks.filter { $0.status == .failed }.map { "\($0.name): \($0.detail)" }
      if status != 0, !failed.isEmpty { reason = failed.joined(separator: "; ") }
    case .prune:
      guard let report = try? decoder.decode(Pruner.Report.self, from: data) else { return }
      let problems =
        report.failures + report.unknown.map { "\($0.id) unknown: \($0.reason)" } + report.reports.problems
      if status != 0, !problems.isEmpty { reason = problems.joined(separator: "; ") }
    case .copy:
      guard let lines = try? decoder.decode([CopyLine].self, from: data) else { return }
      let failed = lines.filter { $0.outcome != "copied" }.map {
        "\($0.destination) \($0.id): \($0.error ?? $0.outcome)"
      }
      if status != 0, !failed.isEmpty { reason = failed.joined(separator: "; ") }
    }
  }
}
