import DRBackup
import DRCore
import DRHTTP
import DRS3
import DRWorker
import Testing

/// Free text and exit statuses map to five categories, so the `reason` label stays bounded.
struct MetricsFailureReasonTests {
  @Test(arguments: [
    ("pg_dump: error: connection to server at \"db\" failed: timeout expired", nil, JobFailureReason.timeout),
    ("the restore did not finish", Int32(124), .timeout),
    ("verification failed", Int32(3), .corrupt),
    ("stream 3: sha256 checksum mismatch", nil, .corrupt),
    ("pg_restore: error: could not execute query", Int32(1), .database),
    ("FATAL: database \"orders\" does not exist", nil, .database),
    ("PUT s3://bucket/key: 503 SlowDown", nil, .storage),
    ("NoSuchKey: the object is gone", nil, .storage),
    ("something else went wrong", Int32(1), .other),
    ("", nil, .other),
  ])
  func categorizesText(_ message: String, _ exitStatus: Int32?, _ expected: JobFailureReason) {
    #expect(JobFailureReason(message: message, exitStatus: exitStatus) == expected)
  }

  /// What a `dr` child puts in its JSON's `category`: its error's own.
  @Test func drErrorsSayTheirCategory() {
    #expect(
      FailureCategory(of: S3Error(.server(status: 503, code: "SlowDown"), operation: "PUT", message: "")) == .storage)
    #expect(FailureCategory(of: S3Error(.transport(.timedOut), operation: "GET", message: "")) == .timeout)
    #expect(FailureCategory(of: BackupError(.dumpFailed, "pg_dump failed")) == .database)
    #expect(FailureCategory(of: BackupError(.manifestUnreadable, "not JSON")) == .corrupt)
    #expect(FailureCategory(of: HTTPError(.timedOut, "", url: "http://127.0.0.1/")) == .timeout)
    struct Foreign: Error {}
    #expect(FailureCategory(of: Foreign()) == .other)
  }
}
