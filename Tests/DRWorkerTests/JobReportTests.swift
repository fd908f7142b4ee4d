import DRBackup
import DRCore
import DRPreflight
import DRVerify
import Foundation
import Testing

@testable import DRWorker

/// What a job's `dr … --json` child printed, decoded with the types that print it: a
/// failure always comes with the reason the command gave, in words, and its category.
struct JobReportTests {
  static func json(_ value: some Encodable) throws -> String {
    String(decoding: try CommandJSON.encoder.encode(value), as: UTF8.self)
  }

  @Test func aBackupsResultIsRead() throws {
    let result = BackupResult(
      id: BackupID("20261125T200000Z-7f3a")!, outcome: "complete", durationSeconds: 2.5, sizeBytes: 1234,
      uncompressedBytes: 5000, tables: 3, manifestKey: "p/backups/x/manifest.json", location: "s3://b/p/")
    let report = JobReport(.backup, status: 0, standardOutput: try Self.json(result), standardError: "")
    #expect(report.succeeded)
    #expect(report.backupID == "20261125T200000Z-7f3a")
    #expect(report.durationSeconds == 2.5)
    #expect(report.sizeBytes == 1234)
    #expect(report.reason == nil)
  }

  struct Refused: DRError {
    var exitStatus: DRCore.ExitStatus { .failure }
    var category: FailureCategory { .storage }
    var description: String { "403 AccessDenied" }
  }

  @Test func aFailedCommandsOwnWordsAndCategoryAreRead() throws {
    let failure = CommandFailure(error: Refused(), durationSeconds: 1, locked: true)
    let report = JobReport(.prune, status: 1, standardOutput: try Self.json(failure), standardError: "noise")
    #expect(report.reason == "403 AccessDenied")
    #expect(report.category == .storage)
    #expect(report.locked)
  }

  /// The failure object's `error` {code, message}: the message is the reason, the code is
  /// kept (and logged), and `backup.locked` means another backup holds the lease.
  @Test func theFailureObjectsCodeIsRead() throws {
    let output = """
      {"outcome": "failed", "error": {"code": "backup.locked", "message": "another backup holds the lease"},
       "category": "other", "duration_seconds": 0.5}
      """
    let report = JobReport(.backup, status: 1, standardOutput: output, standardError: "")
    #expect(report.errorCode == "backup.locked")
    #expect(report.reason == "another backup holds the lease")
    #expect(report.locked)
    #expect(report.durationSeconds == 0.5)
    let usage = JobReport(
      .prune, status: 2,
      standardOutput: #"{"outcome": "failed", "error": {"code": "usage", "message": "bad"}, "category": "other"}"#,
      standardError: "")
    #expect(usage.errorCode == "usage" && !usage.locked && usage.reason == "bad")
  }

  @Test func aFailedVerificationSaysEveryFailure() throws {
    let record = VerificationRecord(
      formatVersion: 1, backup: BackupID("20261125T200000Z-7f3a")!, policy: "p", startedAt: Date(),
      finishedAt: Date(), outcome: .failed, phases: .init(restore: 4),
      failures: [
        .init(kind: "rows", subject: "public.orders", detail: "12 rows, manifest says 13"),
        .init(kind: "check", subject: "orders exist", detail: "returned f"),
      ], scratch: "local", restoredInto: "15", tablesCompared: 1, checksRun: 1, downloadedBytes: 0, restoredBytes: 0,
      toolVersion: "test")
    let output = try Self.json([VerificationSummary(record)])
    let report = JobReport(.verify, status: 3, standardOutput: output, standardError: "")
    #expect(report.reason == "rows public.orders: 12 rows, manifest says 13; check orders exist: returned f")
    #expect(report.category == .corrupt)
    #expect(report.restoreSeconds == 4)
  }

  @Test func failedChecksAreNamed() throws {
    let report = PreflightReport(
      policy: "p", file: "p.yaml",
      checks: [
        .init("policy", .ok, "valid"), .init("storage", .failed, "404 NoSuchBucket"), .init("pg_dump", .skipped, "?"),
        .init("port 55999", .failed, "nothing listens"),
      ])
    let output = try Self.json(report)
    let read = JobReport(.check(environment: "failover"), status: 1, standardOutput: output, standardError: "")
    #expect(read.reason == "storage: 404 NoSuchBucket; port 55999: nothing listens")
  }

  @Test(arguments: ["not json", #"{"checks": [{"name": "policy", "status": "ok"}]}"#, ""])
  func withoutAResultTheLastLinesOfStandardErrorSayWhy(_ output: String) {
    let report = JobReport(.backup, status: 1, standardOutput: output, standardError: "zero\none\ntwo\nthree\n")
    #expect(!report.succeeded)
    #expect(report.reason == "one | two | three")
    #expect(report.category == nil)
  }
}
