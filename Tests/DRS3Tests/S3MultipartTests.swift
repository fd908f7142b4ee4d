import DRCore
import DRCrypto
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Multipart uploads and long listings against the real RGW.
struct S3MultipartTests {
  @Test func uploaderWritesEqualPartsAndTheWholeObjectsSHA256() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "mpu") { (bucket: String) async throws -> Void in
      let body = S3Test.bytes(17 * 1_048_576 + 12_345)
      let uploader = MultipartUploader(
        client: client, bucket: bucket, key: "big/object.bin",
        plan: UploadPlan(partSize: 5 * 1_048_576, partsInFlight: 3)
      )
      for start in stride(from: 0, to: body.count, by: 1_000_003) {
        try await uploader.write(Array(body[start..<min(start + 1_000_003, body.count)]))
      }
      let result = try await uploader.finish()
      #expect(result.parts == 4)
      #expect(result.size == Int64(body.count))
      #expect(result.sha256 == Digest.sha256(body).hex)
      #expect(result.etag.hasSuffix("-4\""))
      #expect(try await client.getObjectBytes(bucket: bucket, key: "big/object.bin") == body)
      #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty)
    }
  }

  /// Parts written in the uploader's own recycled buffers (as `dr s3 cp FILE` reads them)
  /// and parts filled from smaller writes make the same object, and an uploaded part's
  /// buffer comes back to be filled again.
  @Test func recycledPartBuffersMakeTheSameObject() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "recycle") { (bucket: String) async throws -> Void in
      let partSize = 5 * 1_048_576
      // Whole parts only: the last part's buffer is then given back after every take.
      let body = S3Test.bytes(4 * partSize)
      let whole = MultipartUploader(
        client: client, bucket: bucket, key: "whole", plan: UploadPlan(partSize: partSize, partsInFlight: 2),
        recycleParts: true)
      for start in stride(from: 0, to: body.count, by: partSize) {
        var buffer = whole.partRecycler.take()
        buffer.replaceSubrange(0..<partSize, with: body[start..<start + partSize])
        try await whole.write(buffer)
      }
      #expect(try await whole.finish().parts == 4)
      #expect(whole.partRecycler.spareCount == 1)
      let pieces = MultipartUploader(
        client: client, bucket: bucket, key: "pieces", plan: UploadPlan(partSize: partSize, partsInFlight: 2),
        recycleParts: true)
      for start in stride(from: 0, to: body.count, by: 999_999) {
        try await pieces.write(Array(body[start..<min(start + 999_999, body.count)]))
      }
      #expect(try await pieces.finish().parts == 4)
      #expect(pieces.partRecycler.spareCount == 1)
      #expect(try await client.getObjectBytes(bucket: bucket, key: "whole") == body)
      #expect(try await client.getObjectBytes(bucket: bucket, key: "pieces") == body)
    }
  }

  @Test func smallObjectsUseOnePut() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "small") { (bucket: String) async throws -> Void in
      let uploader = MultipartUploader(
        client: client, bucket: bucket, key: "small", plan: UploadPlan(partSize: 5 * 1_048_576, partsInFlight: 2))
      try await uploader.write(Array("tiny".utf8))
      let result = try await uploader.finish()
      #expect(result.parts == 0)
      #expect(!result.etag.contains("-"))
      #expect(result.sha256 == Digest.sha256("tiny").hex)
    }
  }

  @Test func abortLeavesNoUploadAndNoObject() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "abort") { (bucket: String) async throws -> Void in
      let uploader = MultipartUploader(
        client: client, bucket: bucket, key: "half", plan: UploadPlan(partSize: 5 * 1_048_576, partsInFlight: 2))
      try await uploader.write(S3Test.bytes(11 * 1_048_576))
      #expect(try await client.listMultipartUploads(bucket: bucket).count == 1)
      await uploader.abort()
      #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty)
      #expect(try await client.headObject(bucket: bucket, key: "half") == nil)
      await #expect(throws: (any Error).self) { try await uploader.write([1]) }
    }
  }

  @Test func partsRunOutClearlyAndTheUploadIsAborted() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "parts") { (bucket: String) async throws -> Void in
      let uploader = MultipartUploader(
        client: client, bucket: bucket, key: "too-big",
        plan: UploadPlan(partSize: 5 * 1_048_576, partsInFlight: 2, partLimit: 2))
      let error = await #expect(throws: S3Error.self) {
        for _ in 0..<3 { try await uploader.write(S3Test.bytes(5 * 1_048_576)) }
        _ = try await uploader.finish()
      }
      #expect(error?.description.contains("outgrew 2 parts") == true)
      #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty)
      #expect(try await client.headObject(bucket: bucket, key: "too-big") == nil)
      #expect(UploadPlan.forExpectedSize(1 << 40).capacity >= (1 << 40))
      #expect(UploadPlan.forExpectedSize(UploadPlan.maxObjectSize).partSize <= UploadPlan.maxPartSize)
      #expect(UploadPlan.forExpectedSize(nil).partSize == 8 * 1_048_576)
      #expect(UploadPlan.forExpectedSize(100 * 1_073_741_824).partSize % 1_048_576 == 0)
    }
  }

  @Test func listingPagesWithPrefixAndDelimiterAcrossMoreThanAThousandKeys() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "list") { (bucket: String) async throws -> Void in
      let keys = (0..<1_050).map { String(format: "p/%04d", $0) } + ["p/dir/a", "p/dir/b", "p/other/c", "q/x"]
      try await withThrowingTaskGroup(of: Void.self) { group in
        for batch in stride(from: 0, to: keys.count, by: 70) {
          group.addTask {
            for key in keys[batch..<min(batch + 70, keys.count)] {
              try await client.putObject(bucket: bucket, key: key, body: [])
            }
          }
        }
        try await group.waitForAll()
      }
      let all = try await client.listAllObjects(bucket: bucket, prefix: "p/")
      #expect(all.count == 1_053)
      #expect(all.map(\.key) == all.map(\.key).sorted())
      let first = try await client.listObjects(bucket: bucket, prefix: "p/", delimiter: "/")
      #expect(first.objects.count + first.commonPrefixes.count == 1_000)
      #expect(first.continuationToken != nil)
      let second = try await client.listObjects(
        bucket: bucket, prefix: "p/", delimiter: "/", continuationToken: first.continuationToken)
      #expect(Set(first.commonPrefixes + second.commonPrefixes) == ["p/dir/", "p/other/"])
      #expect(first.objects.count + second.objects.count == 1_050)
      #expect(second.continuationToken == nil)
    }
  }
}
