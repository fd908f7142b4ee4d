import Testing

@testable import DRWorker

/// What a job's `dr … --json` child printed, read for metrics and webhooks: a failure
/// always comes with the reason the command gave, in words.
struct JobReportTests {
  @Test func aBackupsResultIsRead() {
    let report = JobReport(
      status: 0, standardOutput: #"{"id": "20261125T200000Z-7f3a", "duration_seconds": 2.5, "size_bytes": 1234}"#,
      standardError: "")
    #expect(report.succeeded)
    #expect(report.backupID == "20261125T200000Z-7f3a")
    #expect(report.durationSeconds == 2.5)
    #expect(report.sizeBytes == 1234)
    #expect(report.reason == nil)
  }

  @Test(arguments: [
    (
      #"{"error": "another backup of this policy is running", "locked": true}"#,
      "another backup of this policy is running"
    ),
    (
      #"[{"id": "x", "outcome": "failed", "failures": [{"kind": "rows", "subject": "public.orders", "detail": "12 rows, manifest says 13"}, {"kind": "check", "subject": "orders exist", "detail": "returned f"}]}]"#,
      "rows public.orders: 12 rows, manifest says 13; check orders exist: returned f"
    ),
    (
      #"{"ok": false, "checks": [{"name": "policy", "status": "ok", "detail": "valid"}, {"name": "storage", "status": "failed", "detail": "404 NoSuchBucket"}, {"name": "pg_dump", "status": "skipped", "detail": "unknown"}, {"name": "port 55999", "status": "failed", "detail": "nothing listens"}]}"#,
      "storage: 404 NoSuchBucket; port 55999: nothing listens"
    ),
    ("not json", "one | two | three"),
    (#"{"checks": [{"name": "policy", "status": "ok"}]}"#, "one | two | three"),
  ])
  func aFailureSaysWhy(_ output: String, _ reason: String) {
    let report = JobReport(status: 1, standardOutput: output, standardError: "zero\none\ntwo\nthree\n")
    #expect(!report.succeeded)
    #expect(report.reason == reason)
  }

  @Test func aLockedBackupIsNamed() {
    let report = JobReport(status: 1, standardOutput: #"{"error": "held", "locked": true}"#, standardError: "")
    #expect(report.locked)
  }
}
