import DRCrypto
import DRHTTP
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Retries and cleanup with faults injected between the client and the real RGW.
struct S3FaultTests {
  /// A client that talks to RGW through `proxy` with the given retry policy. `lowSpeedTime`
  /// stays at the default minute unless a test's point is a stall: in a full run the loaded
  /// RGW has taken more than 2 s to answer a 5 MiB part, and a short window then turned
  /// every attempt into a timeout (a CI run lost four of these tests so).
  func client(through proxy: FaultProxy, retry: RetryPolicy, lowSpeedTime: Int = 60) throws -> S3Client {
    var configuration = TestS3.quickConnect(2)
    configuration.lowSpeedTime = lowSpeedTime
    return try TestS3.client(endpoint: proxy.endpoint, http: configuration, retry: retry)
  }

  /// Quick retries, bounded by attempts alone: on a loaded machine six attempts of a 12 MiB
  /// part can take longer than any time bound short enough to be quick, and the budget
  /// would then end a burst the test means to be ridden out.
  static let attemptsOnly = RetryPolicy(maxAttempts: 6, baseDelay: 0.05, maxDelay: 0.3, maxElapsed: 3_600)
  static let partFilter = FaultProxy.RequestFilter(method: "PUT", queryContains: "partNumber=")

  func upload(_ client: S3Client, _ bucket: String, _ body: [UInt8]) async throws -> UploadResult {
    let uploader = MultipartUploader(
      client: client, bucket: bucket, key: "object", plan: UploadPlan(partSize: 5 * 1_048_576, partsInFlight: 2))
    try await uploader.write(body)
    return try await uploader.finish()
  }

  @Test func slowDownBurstWithinTheBudgetSucceeds() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "slowdown") { (bucket: String) async throws -> Void in
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .times(4), filter: Self.partFilter)
      let body = S3Test.bytes(12 * 1_048_576)
      let result = try await upload(try client(through: proxy, retry: Self.attemptsOnly), bucket, body)
      #expect(result.sha256 == Digest.sha256(body).hex)
      #expect(proxy.counters.faults[.response] == 4)
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
    }
  }

  @Test func slowDownStormLongerThanTheBudgetFailsAndAborts() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "storm") { (bucket: String) async throws -> Void in
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .always, filter: Self.partFilter)
      let error = await #expect(throws: S3Error.self) {
        try await upload(try client(through: proxy, retry: Self.attemptsOnly), bucket, S3Test.bytes(12 * 1_048_576))
      }
      #expect(error?.code == "SlowDown")
      #expect(error?.gaveUp?.attempts == Self.attemptsOnly.maxAttempts)
      #expect(error?.description.contains("gave up after \(Self.attemptsOnly.maxAttempts) attempts") == true)
      #expect(error?.description.contains("retry budget ran out") == true)
      #expect(try await direct.listMultipartUploads(bucket: bucket).isEmpty)
      #expect(try await direct.headObject(bucket: bucket, key: "object") == nil)
    }
  }

  @Test func connectionDroppedMidPartIsRetried() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "drop") { (bucket: String) async throws -> Void in
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectDrop(.clientToServer, afterBytes: 1_000_000, budget: .times(2), filter: Self.partFilter, reset: true)
      let body = S3Test.bytes(11 * 1_048_576)
      let result = try await upload(try client(through: proxy, retry: Self.attemptsOnly), bucket, body)
      #expect(result.size == Int64(body.count))
      #expect(proxy.counters.faults[.dropClientToServer] == 2)
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
    }
  }

  @Test func downloadCutOffMidwayResumesWhereItStopped() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "resume") { (bucket: String) async throws -> Void in
      let body = S3Test.bytes(3 * 1_048_576)
      try await direct.putObject(bucket: bucket, key: "object", body: body)
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectDrop(.serverToClient, afterBytes: 1_234_567, budget: .once, filter: .init(method: "GET"), reset: true)
      let sink = CollectingSink()
      try await client(through: proxy, retry: Self.attemptsOnly).getObject(bucket: bucket, key: "object", into: sink)
      #expect(sink.bytes == body)
      let ranged = proxy.seenRequests.filter { $0.method == "GET" }
      #expect(ranged.count == 2)
    }
  }

  @Test func stalledServerTimesOutAndFailsCleanly() async throws {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.injectHTTPFault(.stall, budget: .always)
    let error = await #expect(throws: S3Error.self) {
      try await client(through: proxy, retry: .none, lowSpeedTime: 2).listObjects(bucket: "dr-any")
    }
    #expect(error?.kind == .transport(.timedOut))
    #expect(proxy.counters.faults[.requestStall] == 1)
  }

  /// A retried DeleteBucket told NoSuchBucket is done: the earlier attempt deleted it and its
  /// answer was lost (a CI run saw a 60 s stall end so). Told so at once, it is an error.
  @Test func noSuchBucketAfterARetryIsTheEarlierAttemptsSuccess() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "lostdelete") { (bucket: String) async throws -> Void in
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      let gone = FaultProxy.Response.s3Error(
        status: 404, reason: "Not Found", code: "NoSuchBucket", message: "The specified bucket does not exist")
      let delete = FaultProxy.RequestFilter(method: "DELETE")
      let client = try client(through: proxy, retry: Self.attemptsOnly)

      proxy.injectHTTPFault(.respond(gone), budget: .once, filter: delete)
      let error = await #expect(throws: S3Error.self) { try await client.deleteBucket(bucket) }
      #expect(error?.code == "NoSuchBucket")
      #expect(error?.attempt == 1)

      proxy.injectHTTPFault(.respond(.s3InternalError), budget: .once, filter: delete)
      proxy.injectHTTPFault(.respond(gone), budget: .once, filter: delete)
      try await client.deleteBucket(bucket)
      #expect(proxy.seenRequests.filter { $0.method == "DELETE" }.count == 3)
      #expect(proxy.counters.faults[.response] == 3)
      // Nothing reached RGW: the bucket is still there, for withBucket to remove.
      #expect(try await direct.listObjects(bucket: bucket).objects.isEmpty)
    }
  }

  @Test func serverErrorsThenRecoveryOnASmallPut() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "recover") { (bucket: String) async throws -> Void in
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectHTTPFault(.respond(.s3InternalError), budget: .times(2), filter: .init(method: "PUT"))
      try await client(through: proxy, retry: Self.attemptsOnly).putObject(
        bucket: bucket, key: "k", body: Array("v".utf8))
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "k") == Array("v".utf8))
    }
  }
}
