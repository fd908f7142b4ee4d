import DRHTTP
import Testing

@testable import DRS3

struct RetryPolicyTests {
  @Test func fullJitterStaysUnderTheExponentialCeiling() {
    let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 8, maxElapsed: 60)
    #expect(policy.delay(beforeRetry: 1, random: 0.999) < 0.5)
    #expect(policy.delay(beforeRetry: 3, random: 0.999) < 2.0)
    #expect(policy.delay(beforeRetry: 3, random: 0.5) == 1.0)
    #expect(policy.delay(beforeRetry: 10, random: 0.999) < 8)
    #expect(policy.delay(beforeRetry: 60, random: 0.5) == 4)
    #expect(policy.delay(beforeRetry: 2, random: 0) == 0)
  }

  @Test func boundedByAttemptsAndTime() {
    let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.1, maxDelay: 1, maxElapsed: 10)
    #expect(policy.allowsRetry(afterAttempts: 2, elapsed: 1))
    #expect(!policy.allowsRetry(afterAttempts: 3, elapsed: 1))
    #expect(!policy.allowsRetry(afterAttempts: 1, elapsed: 10))
    #expect(!RetryPolicy.none.allowsRetry(afterAttempts: 1, elapsed: 0))
  }

  static let cases: [(S3Error.Kind, Bool, Bool)] = [
    (.server(status: 503, code: "SlowDown"), true, true),
    (.server(status: 500, code: "InternalError"), true, true),
    (.server(status: 400, code: "RequestTimeout"), true, true),
    (.server(status: 429, code: "TooManyRequests"), true, true),
    (.server(status: 403, code: "SignatureDoesNotMatch"), true, false),
    (.server(status: 404, code: "NoSuchKey"), true, false),
    (.server(status: 503, code: "SlowDown"), false, false),
    (.transport(.connectionLost), true, true),
    (.transport(.connectionLost), false, false),
    (.transport(.couldNotConnect), false, true),
    (.transport(.cancelled), true, false),
    (.malformedResponse(status: 502), true, true),
    (.malformedResponse(status: 200), true, false),
    (.invalidRequest, true, false),
  ]

  @Test(arguments: cases)
  func retryableFailures(_ kind: S3Error.Kind, _ idempotent: Bool, _ expected: Bool) {
    let error = S3Error(kind, operation: "op", message: "")
    #expect(RetryPolicy.isRetryable(error, idempotent: idempotent) == expected)
  }

  @Test func uploadPlanReachesFiveTebibytesInEqualMebibyteParts() {
    let plan = UploadPlan.forExpectedSize(UploadPlan.maxObjectSize)
    #expect(plan.capacity >= UploadPlan.maxObjectSize)
    #expect(plan.partSize % 1_048_576 == 0)
    #expect(UploadPlan.forExpectedSize(1_000).partSize == 8 * 1_048_576)
    #expect(UploadPlan.forExpectedSize(200 * 1_073_741_824).capacity >= 250 * 1_073_741_824)
    #expect(UploadPlan.forExpectedSize(nil, preferred: 1_048_576).partSize == UploadPlan.minPartSize)
  }
}
