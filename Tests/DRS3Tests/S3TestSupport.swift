import DRS3
import DRTestSupport

/// A client for the test RGW with the production test keys, quick to give up on a connection.
enum S3Test {
  static func client(
    secret: String? = nil, endpoint: String? = nil, retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.05)
  ) throws -> S3Client {
    try TestS3.client(
      endpoint: endpoint, secret: secret, source: "environment (AWS_ACCESS_KEY_ID)", http: TestS3.quickConnect(),
      retry: retry)
  }

  static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 33)
    }
  }
}
