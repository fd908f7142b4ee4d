import DRCore
import Foundation

extension ParallelDownloader {
  /// Downloads the object into the regular file `fd`, each part written at its own offset
  /// as it arrives: no part buffers and no wait for the slowest part in flight. Each
  /// finished part's write-back to disk starts at once, so the caller's fsync has little
  /// left to do. Returns the object's head; the file holds every byte when it returns.
  @discardableResult
  public func download(
    bucket: String, key: String, intoFile fd: Int32, progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) async throws -> S3ObjectHead {
    let head = try await existingHead(bucket: bucket, key: key)
    let ranges = partRanges(size: head.size)
    try await withThrowingTaskGroup(of: Int64.self) { group in
      var done: Int64 = 0
      var inFlight = 0
      for range in ranges {
        if inFlight == partsInFlight, let written = try await group.next() {
          done += written
          inFlight -= 1
          progress?(done, head.size)
        }
        group.addTask { try await fetch(bucket: bucket, key: key, range: range, etag: head.etag, into: fd) }
        inFlight += 1
      }
      while let written = try await group.next() {
        done += written
        progress?(done, head.size)
      }
    }
    return head
  }

  private func fetch(
    bucket: String, key: String, range: ClosedRange<Int64>, etag: String, into fd: Int32
  ) async throws -> Int64 {
    let sink = PositionalFileSink(fd: fd, start: range.lowerBound)
    let head = try await client.getObject(bucket: bucket, key: key, range: range, into: sink)
    try checkPart(head: head, etag: etag, bucket: bucket, key: key, got: Int(sink.count), range: range)
    PositionalFile.startWriteback(fd, offset: range.lowerBound, length: Int64(range.count))
    return Int64(range.count)
  }
}
