import DRHTTP
import DRS3
import Foundation

/// Clients of the test RGW, signing with one of its two users' keys, and the removal of a
/// test's bucket with everything in it (the RGW keeps objects in memory).
public enum TestS3 {
  /// The RGW user whose keys sign: `production` (AWS_ACCESS_KEY_ID…) or `spare` (dr-spare,
  /// a failover environment's keys).
  public enum User: Sendable {
    case production
    case spare
  }

  /// A client of the test RGW (or of `endpoint`, a proxy in front of it). `secret` replaces
  /// the user's secret key (a wrong one); `http` and `retry` default to S3Client's own.
  public static func client(
    _ user: User = .production, endpoint: String? = nil, secret: String? = nil, source: String = "test",
    http: HTTPClientConfiguration? = nil, retry: RetryPolicy = RetryPolicy(),
    now: @escaping @Sendable () -> Date = Date.init, contentMD5: ContentMD5Use = .always
  ) throws -> S3Client {
    let keys = S3Credentials(
      accessKeyID: try user == .production ? TestServices.accessKeyID() : TestServices.spareAccessKeyID(),
      secretAccessKey: try secret
        ?? (user == .production ? TestServices.secretAccessKey() : TestServices.spareSecretAccessKey()),
      source: source)
    return S3Client(
      endpoint: try S3Endpoint(url: try endpoint ?? TestServices.s3Endpoint(), region: "us-east-1"),
      credentials: StaticCredentialsProvider(keys), http: http.map { HTTPClient(configuration: $0) } ?? HTTPClient(),
      retry: retry, now: now, contentMD5: contentMD5)
  }

  /// Client settings that give up on a connection quickly (`connectTimeout` seconds).
  public static func quickConnect(_ connectTimeout: Int = 3) -> HTTPClientConfiguration {
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = connectTimeout
    return configuration
  }

  /// A new bucket named `dr-LABEL-RANDOM`.
  public static func bucket(_ client: S3Client, _ label: String) async throws -> String {
    let name = "dr-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    try await client.createBucket(name)
    return name
  }

  /// Runs `body` with a new bucket, and removes the bucket afterwards, also when `body`
  /// throws, so test data does not pile up in the memory-backed RGW.
  public static func withBucket<Result>(
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

  /// Deletes every object and upload in `bucket`, then the bucket; what fails is left.
  public static func remove(_ client: S3Client, _ bucket: String) async {
    let objects = (try? await client.listAllObjects(bucket: bucket)) ?? []
    _ = try? await client.deleteObjects(bucket: bucket, keys: objects.map(\.key))
    for upload in (try? await client.listMultipartUploads(bucket: bucket)) ?? [] {
      try? await client.abortMultipartUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID)
    }
    try? await client.deleteBucket(bucket)
  }
}
