import DRHTTP
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Downloads into a file (`dr s3 cp s3://… FILE`): parts written at their own offsets as
/// they arrive, a part cut off mid-body resumed at the right offset, and a failed download
/// leaving no file behind.
struct FileDownloadTests {
  static let partSize = 1_048_576
  /// Quick retries bounded by attempts alone, and the default minute of low-speed time: the
  /// faults here are resets and error answers, never stalls, and a loaded RGW can take
  /// longer than any short time bound (S3FaultTests).
  static let quick = RetryPolicy(maxAttempts: 6, baseDelay: 0.05, maxDelay: 0.3, maxElapsed: 3_600)

  func client(through proxy: FaultProxy, retry: RetryPolicy) throws -> S3Client {
    try TestS3.client(endpoint: proxy.endpoint, http: TestS3.quickConnect(2), retry: retry)
  }

  func directory() throws -> String {
    let path = NSTemporaryDirectory() + "dr-file-download-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// The first ranged GET to arrive is cut after 300 000 bytes of its body, so that part is
  /// resumed (Range from where it stopped) while the others finish; the file must still be
  /// the object, byte for byte.
  @Test func aPartCutOffMidBodyIsResumedAtItsOffset() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "file-resume") { (bucket: String) async throws -> Void in
      let body = S3Test.bytes(5 * Self.partSize + 123)
      try await direct.putObject(bucket: bucket, key: "object", body: body)
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectDrop(.serverToClient, afterBytes: 300_000, budget: .once, filter: .init(method: "GET"), reset: true)
      let transfers = S3Transfers(client: try client(through: proxy, retry: Self.quick))
      let path = try directory() + "/copy"
      let head = try await transfers.download(
        S3ObjectURL("s3://\(bucket)/object")!, toFile: path, partSize: Self.partSize, partsInFlight: 3)
      #expect(head.size == Int64(body.count))
      #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == body)
      #expect(proxy.counters.faults[.dropServerToClient] == 1)
      #expect(proxy.seenRequests.filter { $0.method == "GET" }.count == 7)
    }
  }

  /// A part that keeps failing ends the download: the error is the server's, and neither
  /// the file nor its partial copy is left in the directory.
  @Test func aPartThatKeepsFailingLeavesNoFile() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "file-fail") { (bucket: String) async throws -> Void in
      try await direct.putObject(bucket: bucket, key: "object", body: S3Test.bytes(4 * Self.partSize))
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      proxy.injectHTTPFault(.respond(.s3InternalError), budget: .always, filter: .init(method: "GET"))
      let transfers = S3Transfers(client: try client(through: proxy, retry: .none))
      let directory = try directory()
      let error = await #expect(throws: S3Error.self) {
        try await transfers.download(
          S3ObjectURL("s3://\(bucket)/object")!, toFile: directory + "/copy", partSize: Self.partSize,
          partsInFlight: 2)
      }
      #expect(error?.code == "InternalError")
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])
    }
  }

  /// An empty object makes an empty file (no ranged GET at all).
  @Test func anEmptyObjectMakesAnEmptyFile() async throws {
    let direct = try S3Test.client()
    try await TestS3.withBucket(direct, "file-empty") { (bucket: String) async throws -> Void in
      try await direct.putObject(bucket: bucket, key: "empty", body: [])
      let path = try directory() + "/copy"
      let head = try await S3Transfers(client: direct).download(
        S3ObjectURL("s3://\(bucket)/empty")!, toFile: path, partSize: Self.partSize, partsInFlight: 2)
      #expect(head.size == 0)
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }
  }
}
