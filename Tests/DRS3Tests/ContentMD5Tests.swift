import DRCrypto
import DRHTTP
import DRS3
import DRTestSupport
import Foundation
import Testing

/// With `content_md5: when_required` (auto's choice on AWS S3) data uploads carry
/// Content-MD5 only where S3 requires it: their signed SHA-256 payload hash already makes
/// the server refuse a corrupted body. With `always` every one carries it.
struct ContentMD5Tests {
  /// Bounded by attempts alone, so a loaded RGW cannot end the test by the clock.
  static let quick = RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 0.3, maxElapsed: 3_600)
  /// What S3 answers an upload without Content-MD5 to a bucket with default Object Lock
  /// retention.
  static let refusal = FaultProxy.Response.s3Error(
    status: 400, reason: "Bad Request", code: "InvalidRequest",
    message:
      "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters")

  /// One part at a time, so the first refusal is taught before the next part is sent.
  func upload(_ client: S3Client, _ bucket: String, _ body: [UInt8], lock: S3ObjectLock? = nil) async throws
    -> UploadResult
  {
    let uploader = MultipartUploader(
      client: client, bucket: bucket, key: "object", plan: UploadPlan(partSize: 5 * 1_048_576, partsInFlight: 1),
      options: S3PutOptions(objectLock: lock))
    try await uploader.write(body)
    return try await uploader.finish()
  }

  /// A proxy to the test RGW that answers `refusal` to every PUT lacking Content-MD5, and a
  /// client through it set to `use`.
  static func refusingProxy(_ use: ContentMD5Use) throws -> (FaultProxy, S3Client) {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    proxy.injectHTTPFault(
      .respond(refusal), budget: .always, filter: FaultProxy.RequestFilter(method: "PUT", lacking: "Content-MD5"))
    return (proxy, try TestS3.client(endpoint: proxy.endpoint, retry: quick, contentMD5: use))
  }

  /// A proxy to the test RGW, and a client through it set to `unlessPayloadHashChecked` (auto
  /// on endpoints other than AWS S3). With `answer`, the proxy gives it instead to the first
  /// `budget` part PUTs: the probe's attempts, as the probe goes before any part.
  static func probingProxy(answer: FaultProxy.Response? = nil, budget: FaultProxy.Budget = .once) throws
    -> (FaultProxy, S3Client)
  {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    if let answer {
      proxy.injectHTTPFault(
        .respond(answer), budget: budget, filter: FaultProxy.RequestFilter(method: "PUT", queryContains: "partNumber="))
    }
    return (proxy, try TestS3.client(endpoint: proxy.endpoint, retry: quick, contentMD5: .unlessPayloadHashChecked))
  }

  /// Injected: the bucket answers the first upload lacking Content-MD5 with S3's 400
  /// InvalidRequest (default Object Lock retention), then every later one too. Asserted:
  /// the upload succeeds, refused exactly once: the refused part is sent again with
  /// Content-MD5 and every later part carries one from the start; the object is intact.
  @Test func aBucketThatWantsContentMD5IsGivenItFromThenOn() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "wantsmd5") { (bucket: String) async throws -> Void in
      let (proxy, client) = try Self.refusingProxy(.whenRequired)
      defer { proxy.stop() }
      let body = S3Test.bytes(23 * 1_048_576)
      let result = try await upload(client, bucket, body)
      #expect(result.sha256 == Digest.sha256(body).hex)
      #expect(proxy.counters.faults[.response] == 1, "refused once, then every part carried Content-MD5")
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
      let single = try await client.putObject(bucket: bucket, key: "small", body: Array("hello".utf8))
      #expect(!single.isEmpty)
      #expect(proxy.counters.faults[.response] == 1, "a single PUT to that bucket carries it too")
    }
  }

  /// Injected: a proxy refusing every upload lacking Content-MD5, and writes with Object
  /// Lock retention (multipart and single) to a bucket with Object Lock. Asserted: both are
  /// stored and neither was refused: a locked write carries Content-MD5 from the start.
  @Test func aWriteWithRetentionCarriesContentMD5() async throws {
    let direct = try S3Test.client()
    // Objects under retention stay until it ends: the bucket is left behind, as the lock means.
    let bucket = "dr-lockmd5-\(UUID().uuidString.prefix(8).lowercased())"
    try await direct.createBucketWithObjectLock(bucket)
    let (proxy, client) = try Self.refusingProxy(.whenRequired)
    defer { proxy.stop() }
    // A retain-until date an hour ahead, taken for each write: a date that passed while a
    // loaded run uploaded is refused (400 InvalidArgument; a CI run once took 2 minutes).
    func lock() -> S3ObjectLock { S3ObjectLock(mode: .governance, retainUntil: Date().addingTimeInterval(3_600)) }
    let body = S3Test.bytes(11 * 1_048_576)
    _ = try await upload(client, bucket, body, lock: lock())
    try await client.putObject(
      bucket: bucket, key: "small", body: Array("hello".utf8), options: S3PutOptions(objectLock: lock()))
    #expect(proxy.counters.faults[.response] == nil)
    #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
  }

  /// Injected: a proxy refusing every upload lacking Content-MD5; the client set to
  /// `always` (auto's choice on endpoints other than AWS S3). Asserted: never refused.
  @Test func alwaysMeansEveryUpload() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "alwaysmd5") { (bucket: String) async throws -> Void in
      let (proxy, client) = try Self.refusingProxy(.always)
      defer { proxy.stop() }
      let body = S3Test.bytes(11 * 1_048_576)
      _ = try await upload(client, bucket, body)
      try await client.putObject(bucket: bucket, key: "small", body: Array("hello".utf8))
      #expect(proxy.counters.faults[.response] == nil)
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
    }
  }

  /// Parts and single PUTs a proxy saw, and whether each carried Content-MD5.
  static func uploads(_ proxy: FaultProxy) -> (parts: [Bool], singles: [Bool]) {
    let puts = proxy.seenRequests.filter { $0.method == "PUT" }
    let withMD5 = { (request: FaultProxy.SeenRequest) in request.fieldNames.contains("content-md5") }
    return (
      puts.filter { $0.target.contains("partNumber=") }.map(withMD5),
      puts.filter { !$0.target.contains("partNumber=") }.map(withMD5)
    )
  }

  /// `unlessPayloadHashChecked` (auto on endpoints other than AWS S3) against the real RGW.
  /// Asserted: a single PUT before any probe carries Content-MD5; the first multipart upload
  /// probes once (a part 1 of one byte before its own three parts), RGW refuses the probe,
  /// and from then on no upload carries Content-MD5, the second upload probing no more; both
  /// objects are intact.
  @Test func rgwRefusesTheProbeSoUploadsGoWithoutContentMD5() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "probemd5") { (bucket: String) async throws -> Void in
      let (proxy, client) = try Self.probingProxy()
      defer { proxy.stop() }
      try await client.putObject(bucket: bucket, key: "before", body: Array("hello".utf8))
      #expect(client.payloadHashChecked(bucket) == nil)
      let body = S3Test.bytes(11 * 1_048_576)
      #expect(try await upload(client, bucket, body).sha256 == Digest.sha256(body).hex)
      #expect(client.payloadHashChecked(bucket) == true)
      #expect(try await upload(client, bucket, body).parts == 3)
      try await client.putObject(bucket: bucket, key: "after", body: Array("hello".utf8))

      let seen = Self.uploads(proxy)
      #expect(seen.parts == Array(repeating: false, count: 7), "one probe and 2 × 3 parts, none with MD5")
      #expect(seen.singles == [true, false], "before the probe with MD5, after it without")
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
    }
  }

  /// Injected: the proxy answers the probe 200 with an ETag, as a server that does not check
  /// the payload hash would. Asserted: every part of that upload and the next carries
  /// Content-MD5, and the object is intact: the upload's own part 1 replaced the probe's.
  @Test func aServerThatTakesTheProbeGetsContentMD5OnEveryUpload() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "takesprobe") { (bucket: String) async throws -> Void in
      let accepted = FaultProxy.Response(status: 200, reason: "OK", headers: [.init("ETag", "\"probe\"")])
      let (proxy, client) = try Self.probingProxy(answer: accepted)
      defer { proxy.stop() }
      let body = S3Test.bytes(11 * 1_048_576)
      #expect(try await upload(client, bucket, body).sha256 == Digest.sha256(body).hex)
      #expect(client.payloadHashChecked(bucket) == false)
      _ = try await upload(client, bucket, body)

      let seen = Self.uploads(proxy)
      #expect(seen.parts == [false] + Array(repeating: true, count: 6), "the probe, then parts with MD5")
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
    }
  }

  /// Injected: the probe gets 503 SlowDown until the retries give up. Asserted: nothing is
  /// learnt (this upload carries MD5, the next one probes again) and the upload succeeds.
  @Test func noAnswerToTheProbeTeachesNothing() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "noprobe") { (bucket: String) async throws -> Void in
      let (proxy, client) = try Self.probingProxy(answer: .s3SlowDown, budget: .times(Self.quick.maxAttempts))
      defer { proxy.stop() }
      let body = S3Test.bytes(6 * 1_048_576)
      #expect(try await upload(client, bucket, body).sha256 == Digest.sha256(body).hex)
      #expect(client.payloadHashChecked(bucket) == nil)
      _ = try await upload(client, bucket, body)
      #expect(client.payloadHashChecked(bucket) == true)

      let seen = Self.uploads(proxy)
      let probes = Self.quick.maxAttempts
      #expect(seen.parts == Array(repeating: false, count: probes) + [true, true] + [false, false, false])
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "object") == body)
    }
  }
}
