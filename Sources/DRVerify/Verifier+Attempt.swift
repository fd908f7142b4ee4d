import DRBackup
import DRCore
import DRRestore
import Foundation

extension Verifier {
  /// One verification as it goes: what it found so far, turned into its record.
  struct Attempt: Sendable {
    let id: BackupID
    let started: Date
    var scratch = "none"

    func failed(_ kind: String, _ detail: String) -> VerificationRecord {
      record(.failed, failures: [.init(kind: kind, subject: id.rawValue, detail: detail)])
    }

    func inconclusive(_ kind: String, _ detail: String) -> VerificationRecord {
      record(.inconclusive, failures: [.init(kind: kind, subject: id.rawValue, detail: detail)])
    }

    /// The record of a restore that ran to its end: passed when nothing differed.
    func finished(_ outcome: Outcome, manifest: BackupManifest, checks: Int) -> VerificationRecord {
      var record = record(
        outcome.failures.isEmpty ? .passed : .failed, failures: outcome.failures, phases: outcome.phases,
        into: outcome.serverVersion, counts: manifest.tableCount, checks: checks, bytes: outcome.bytes)
      record.notes = outcome.notes.isEmpty ? nil : outcome.notes
      return record
    }

    func record(
      _ outcome: VerificationRecord.Outcome, failures: [VerificationRecord.Failure],
      phases: VerificationRecord.Phases = .init(), into: String = "", counts: Int = 0, checks: Int = 0,
      bytes: (Int64, Int64) = (0, 0)
    ) -> VerificationRecord {
      VerificationRecord(
        formatVersion: VerificationRecord.currentFormat, backup: id, policy: "", startedAt: started,
        finishedAt: Date(), outcome: outcome, phases: phases, failures: failures, scratch: scratch,
        restoredInto: into, tablesCompared: counts, checksRun: checks, downloadedBytes: bytes.0,
        restoredBytes: bytes.1, toolVersion: DRVersion.current)
    }

    /// What an inconclusive failure is about, for the record: the error's category.
    static func kind(of error: any Error) -> String {
      if let error = error as? RestoreError, error.code == .hostLacks { return "host" }
      return switch FailureCategory(of: error) {
      case .storage: "storage"
      case .database: "scratch"
      case .timeout: "timeout"
      case .corrupt, .other: (error as? RestoreError)?.code == .resources ? "resources" : "verifier"
      }
    }
  }
}
