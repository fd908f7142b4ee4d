import DRHTTP
import Foundation

/// Downloads one object as ranged GETs, `partsInFlight` at a time, and hands the bytes
/// to `sink` in order. Memory is bounded by partsInFlight × partSize.
public struct ParallelDownloader: Sendable {
  public let client: S3Client
  public let partSize: Int
  public let partsInFlight: Int

  public init(client: S3Client, partSize: Int = 8 * 1_048_576, partsInFlight: Int = 4) {
    self.client = client
    self.partSize = max(1_048_576, partSize)
    self.partsInFlight = max(1, partsInFlight)
  }

  /// Streams the object into `write` (called in order, from this task); returns its head.
  /// The ETag of the first answer pins every later range to the same object version.
  @discardableResult
  public func download(
    bucket: String, key: String, progress: (@Sendable (Int64, Int64) -> Void)? = nil,
    write: (borrowing [UInt8]) async throws -> Void
  ) async throws -> S3ObjectHead {
    let head = try await existingHead(bucket: bucket, key: key)
    let ranges = partRanges(size: head.size)
    var pending: [Task<[UInt8], any Error>] = []
    var next = 0
    var done: Int64 = 0
    defer { for task in pending { task.cancel() } }
    while next < ranges.count || !pending.isEmpty {
      while pending.count < partsInFlight, next < ranges.count {
        pending.append(fetch(bucket: bucket, key: key, range: ranges[next], etag: head.etag))
        next += 1
      }
      // The awaited part is out of `pending`: cancel it with this task, or SIGTERM waits
      // for the part in flight to finish downloading (minutes over a slow link).
      let first = pending.removeFirst()
      let bytes = try await withTaskCancellationHandler {
        try await first.value
      } onCancel: {
        first.cancel()
      }
      try await write(bytes)
      done += Int64(bytes.count)
      progress?(done, head.size)
    }
    return head
  }

  private func fetch(bucket: String, key: String, range: ClosedRange<Int64>, etag: String) -> Task<[UInt8], any Error> {
    Task {
      let sink = CollectingSink(capacity: range.count)
      let head = try await client.getObject(bucket: bucket, key: key, range: range, into: sink)
      let bytes = sink.bytes
      try checkPart(head: head, etag: etag, bucket: bucket, key: key, got: bytes.count, range: range)
      return bytes
    }
  }

  /// The object's head, or NoSuchKey.
  func existingHead(bucket: String, key: String) async throws -> S3ObjectHead {
    guard let head = try await client.headObject(bucket: bucket, key: key) else {
      throw S3Error(.server(status: 404, code: "NoSuchKey"), operation: "GET s3://\(bucket)/\(key)", message: "")
    }
    return head
  }

  /// The byte ranges of the parts of an object of `size` bytes.
  func partRanges(size: Int64) -> [ClosedRange<Int64>] {
    stride(from: Int64(0), to: size, by: partSize).map { start in start...min(start + Int64(partSize), size) - 1 }
  }

  /// Refuses a part of another object version (its ETag changed) or of the wrong length.
  func checkPart(
    head: S3ObjectHead, etag: String, bucket: String, key: String, got: Int, range: ClosedRange<Int64>
  ) throws {
    guard head.etag == etag || etag.isEmpty else {
      throw S3Error(
        .server(status: 412, code: "PreconditionFailed"), operation: "GET s3://\(bucket)/\(key)",
        message: "the object changed while it was downloaded")
    }
    guard got == range.count else {
      throw S3Error(
        .malformedResponse(status: 206), operation: "GET s3://\(bucket)/\(key)",
        message: "asked for \(range.count) bytes, got \(got)")
    }
  }
}
