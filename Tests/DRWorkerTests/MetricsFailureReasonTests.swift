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

  struct Unknown: Error, CustomStringConvertible {
    let description: String
  }

  @Test func categorizesAnErrorByItsWords() {
    #expect(JobFailureReason(Unknown(description: "upload part 3 timed out")) == .timeout)
    #expect(JobFailureReason(Unknown(description: "bucket policy denies PutObject")) == .storage)
    #expect(JobFailureReason(Unknown(description: "no idea")) == .other)
  }
}
