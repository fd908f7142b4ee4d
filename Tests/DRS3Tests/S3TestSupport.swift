import DRHTTP
import DRS3
import DRTestSupport
import Foundation

/// A client for the test RGW with the production test keys, and a bucket of its own.
enum S3Test {
  static func client(
    secret: String? = nil, endpoint: String? = nil, retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.05)
  ) throws -> S3Client {
    let keys = S3Credentials(
      accessKeyID: try TestServices.accessKeyID(), secretAccessKey: try secret ?? TestServices.secretAccessKey(),
      source: "environment (AWS_ACCESS_KEY_ID)")
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = 3
    return S3Client(
      endpoint: try S3Endpoint(url: try endpoint ?? TestServices.s3Endpoint(), region: "us-east-1"),
      credentials: StaticCredentialsProvider(keys), http: HTTPClient(configuration: configuration), retry: retry)
  }

  /// A new bucket with a unique name.
  static func bucket(_ client: S3Client, _ label: String) async throws -> String {
    let name = "dr-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    try await client.createBucket(name)
    return name
  }

  /// Runs `body` with a new bucket, and removes the bucket afterwards, also when `body`
  /// throws, so test data does not pile up in the memory-backed RGW.
  static func withBucket<Result>(
    _ client: S3Client, _ label: String, _ body: (String) async throws -> Result
  ) async throws -> Result {
    let name = try await bucket(client, label)
    do {
      let result = try await body(name)
      await remove(client, name)
      return result
    } catch {
      await remove(client, name)
      throw error
    }
  }

  /// Deletes every object and upload in `bucket`, then the bucket.
  static func remove(_ client: S3Client, _ bucket: String) async {
    let objects = (try? await client.listAllObjects(bucket: bucket)) ?? []
    _ = try? await client.deleteObjects(bucket: bucket, keys: objects.map(\.key))
    for upload in (try? await client.listMultipartUploads(bucket: bucket)) ?? [] {
      try? await client.abortMultipartUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID)
    }
    try? await client.deleteBucket(bucket)
  }

  static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 33)
    }
  }
}
