import DRCore
import DRCrypto
import DRHTTP
import DRS3
import DRTestSupport
import Foundation
import Testing

/// A wrong clock, a cancelled transfer and a 200 MiB object, against the real RGW.
struct S3ClockAndCancelTests {
  func client(now: @escaping @Sendable () -> Date = Date.init, endpoint: String? = nil) throws -> S3Client {
    try TestS3.client(endpoint: endpoint, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05), now: now)
  }

  @Test func aClockTwentyMinutesOffIsCorrectedFromTheServersDate() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "skew") { (bucket: String) async throws -> Void in
      let skewed = try client(now: { Date().addingTimeInterval(-20 * 60) })
      let started = Date()
      try await skewed.putObject(bucket: bucket, key: "k", body: Array("on time".utf8))
      let took = Date().timeIntervalSince(started)
      #expect(try await direct.getObjectBytes(bucket: bucket, key: "k") == Array("on time".utf8))
      // The server's Date (whole seconds) minus our clock when its answer was read: short
      // of 20 minutes by at most the time the request took (an answer read late, on a
      // loaded machine) and the Date header's rounding.
      #expect(
        skewed.clockOffset > 20 * 60 - took - 2 && skewed.clockOffset < 20 * 60 + 2,
        "offset \(skewed.clockOffset) s, the request took \(took) s")
      // Learnt once, the offset is kept: the next request succeeds on its first attempt.
      #expect(try await skewed.listObjects(bucket: bucket).objects.count == 1)
    }
  }

  @Test func cancellingTheTaskStopsAStalledTransfer() async throws {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.injectHTTPFault(.stall, budget: .always)
    let stalled = try client(endpoint: proxy.endpoint)
    let task = Task { try await stalled.listObjects(bucket: "dr-any") }
    try await Task.sleep(for: .milliseconds(300))
    task.cancel()
    let error = await #expect(throws: S3Error.self) { try await task.value }
    // Not the 60 s stall timeout: the cancellation itself ended it.
    #expect(error?.kind == .transport(.cancelled))
    #expect(error?.exitStatus == .interrupted)
  }

  @Test func twoHundredMebibytesInPartsOfEight() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "big") { (bucket: String) async throws -> Void in
      let uploader = MultipartUploader(
        client: direct, bucket: bucket, key: "200MiB", plan: UploadPlan.forExpectedSize(200 * 1_048_576))
      let block = S3Test.bytes(1_048_576, seed: 7)
      let hasher = SHA256Hasher()
      for index in 0..<200 {
        var chunk = block
        chunk[0] = UInt8(index)
        hasher.update(chunk)
        try await uploader.write(chunk)
      }
      let result = try await uploader.finish()
      #expect(result.parts == 25)
      #expect(result.size == 200 * 1_048_576)
      #expect(result.sha256 == hasher.finalize().hex)
      let head = try #require(try await direct.headObject(bucket: bucket, key: "200MiB"))
      #expect(head.size == 200 * 1_048_576)
      #expect(head.etag.hasSuffix("-25\""))
      let downloaded = SHA256Hasher()
      try await ParallelDownloader(client: direct).download(bucket: bucket, key: "200MiB") { bytes in
        downloaded.update(copy bytes)
      }
      #expect(downloaded.finalize().hex == result.sha256)
    }
  }
}
