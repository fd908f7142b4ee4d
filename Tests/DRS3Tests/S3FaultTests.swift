import DRCrypto
import DRHTTP
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Retries and cleanup with faults injected between the client and the real RGW.
struct S3FaultTests {
  /// A client that talks to RGW through `proxy`, with a quick retry policy and timeouts.
  func client(through proxy: FaultProxy, retry: RetryPolicy) throws -> S3Client {
    var configuration = TestS3.quickConnect(2)
    configuration.lowSpeedTime = 2
    return try TestS3.client(endpoint: proxy.endpoint, http: configuration, retry: retry)
  }

  static let quick = RetryPolicy(maxAttempts: 6, baseDelay: 0.05, maxDelay: 0.3, maxElapsed: 30)
  /// Bounded by attempts alone: on a loaded machine six attempts of a 12 MiB part can take
  /// longer than `quick`'s 30 s, and the time bound would then end the storm first.
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
      let result = try await upload(try client(through: proxy, retry: Self.quick), bucket, body)
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
      let result = try await upload(try client(through: proxy, retry: Self.quick), bucket, body)
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
      try await client(through: proxy, retry: Self.quick).getObject(bucket: bucket, key: "object", into: sink)
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
      try await client(through: proxy, retry: .none).listObjects(bucket: "dr-any")
    }
    #expect(error?.kind == .transport(.timedOut))
    #expect(proxy.counters.faults[.requestStall] == 1)
  }

  @Test func serverErrorsThenRecoveryOnASmallPut() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "recover") { (bucket: String) async throws -> Void in
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectHTTPFault(.respond(.s3InternalError), budget: .times(2), filter: .init(method: "PUT"))
      try await client(through: proxy, retry: Self.quick).putObject(bucket: bucket, key: "k", body: Array("v".utf8))
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "k") == Array("v".utf8))
    }
  }
}
