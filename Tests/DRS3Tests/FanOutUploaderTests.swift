import DRS3
import DRTestSupport
import Foundation
import Testing

/// One stream into two buckets at once; a copy that loses its storage midway is dropped
/// (aborted, nothing left) while the primary completes, and the primary's failure fails it.
struct FanOutUploaderTests {
  static let plan = UploadPlan(partSize: 5 * 1_048_576, partsInFlight: 2)

  func write(_ fanOut: FanOutUploader, _ data: [UInt8]) async throws {
    for start in stride(from: 0, to: data.count, by: 1_048_576) {
      try await fanOut.write(Array(data[start..<min(start + 1_048_576, data.count)]))
    }
  }

  @Test func bothDestinationsGetTheSameBytes() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "fanout-a") { first in
      try await TestS3.withBucket(client, "fanout-b") { second in
        let data = S3Test.bytes(12 * 1_048_576 + 17)
        let fanOut = FanOutUploader([
          .init(
            name: "production", uploader: MultipartUploader(client: client, bucket: first, key: "k", plan: Self.plan)),
          .init(name: "copy-1", uploader: MultipartUploader(client: client, bucket: second, key: "k", plan: Self.plan)),
        ])
        try await write(fanOut, data)
        let outcomes = try await fanOut.finish()
        guard case .uploaded(let a)? = outcomes["production"], case .uploaded(let b)? = outcomes["copy-1"] else {
          Issue.record("both must be uploaded: \(outcomes)")
          return
        }
        #expect(a.sha256 == b.sha256 && a.size == Int64(data.count))
        #expect(try await client.getObjectBytes(bucket: second, key: "k") == data)
      }
    }
  }

  @Test func aCopyThatLosesItsStorageIsDroppedAndThePrimaryCompletes() async throws {
    let client = try S3Test.client()
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    let throughProxy = try S3Test.client(endpoint: proxy.endpoint, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01))
    try await TestS3.withBucket(client, "fanout-p") { first in
      try await TestS3.withBucket(client, "fanout-c") { second in
        let data = S3Test.bytes(16 * 1_048_576)
        let fanOut = FanOutUploader([
          .init(
            name: "production", uploader: MultipartUploader(client: client, bucket: first, key: "k", plan: Self.plan)),
          .init(
            name: "copy-1", uploader: MultipartUploader(client: throughProxy, bucket: second, key: "k", plan: Self.plan)
          ),
        ])
        // The copy's storage refuses every request after its first two (create, part 1).
        proxy.injectHTTPFault(
          .respond(.s3Error(status: 403, reason: "Forbidden", code: "AccessDenied", message: "access revoked")),
          budget: .always,
          passFirst: 2)
        try await write(fanOut, data)
        let outcomes = try await fanOut.finish()
        guard case .uploaded(let primary)? = outcomes["production"], case .failed(let reason)? = outcomes["copy-1"]
        else {
          Issue.record("the primary must complete and the copy fail: \(outcomes)")
          return
        }
        #expect(primary.size == Int64(data.count))
        #expect(reason.contains("AccessDenied"), "\(reason)")
        // The abort was tried (the lost storage refused it too: prune clears such uploads
        // once the storage is back), and nothing was completed there.
        #expect(proxy.seenRequests.contains { $0.method == "DELETE" && $0.target.contains("uploadId=") })
        proxy.clearFaults()
        #expect(try await client.listAllObjects(bucket: second).isEmpty)
        for upload in try await client.listMultipartUploads(bucket: second) {
          try await client.abortMultipartUpload(bucket: second, key: upload.key, uploadID: upload.uploadID)
        }
      }
    }
  }
}
