import DRCore
import Foundation

/// Whole-object copies between S3 and local files or pipes, as `dr s3 cp` does them:
/// streaming, bounded memory, parts in flight both ways.
public struct S3Transfers: Sendable {
  public let client: S3Client

  public init(client: S3Client) {
    self.client = client
  }

  /// Uploads everything readable from `fd` (a file or standard input). `expectedSize`
  /// picks the part size (unknown for a pipe: 8 MiB parts reach 78 GiB).
  public func upload(
    fd: Int32, expectedSize: Int64?, to target: S3ObjectURL, plan: UploadPlan, options: S3PutOptions,
    hashWholeObject: Bool = true, progress: (@Sendable (Int64) -> Void)? = nil
  ) async throws -> UploadResult {
    let uploader = MultipartUploader(
      client: client, bucket: target.bucket, key: target.key, plan: plan, options: options,
      hashWholeObject: hashWholeObject, recycleParts: true, progress: progress)
    // Part-sized reads, into the uploader's recycled buffers, go to it without a copy; one
    // part waits in the queue.
    let queue = ByteQueue(capacity: plan.partSize)
    FileDescriptorReader.start(fd: fd, into: queue, recycler: uploader.partRecycler, closeWhenDone: false)
    do {
      while let bytes = try await queue.next() {
        try Task.checkCancellation()
        try await uploader.write(bytes)
      }
      return try await uploader.finish()
    } catch {
      queue.cancel()
      await uploader.abort()
      throw error
    }
  }

  /// Downloads `source` into `fd` in order, with ranged GETs in flight.
  public func download(
    _ source: S3ObjectURL, to fd: Int32, partSize: Int, partsInFlight: Int,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) async throws -> S3ObjectHead {
    let writer = FileDescriptorWriter(fd: fd)
    let downloader = ParallelDownloader(client: client, partSize: partSize, partsInFlight: partsInFlight)
    return try await downloader.download(bucket: source.bucket, key: source.key, progress: progress) { bytes in
      try await writer.write(copy bytes)
    }
  }

  /// Downloads into `path` through a temporary file beside it, renamed into place only
  /// when complete: a failed download leaves nothing behind.
  public func download(
    _ source: S3ObjectURL, toFile path: String, partSize: Int, partsInFlight: Int,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) async throws -> S3ObjectHead {
    let partial = "\(path).dr-partial-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SystemError("cannot create \(partial): \(Self.lastError)") }
    var isOpen = true
    do {
      let downloader = ParallelDownloader(client: client, partSize: partSize, partsInFlight: partsInFlight)
      let head = try await downloader.download(
        bucket: source.bucket, key: source.key, intoFile: fd, progress: progress)
      let synced = fsync(fd) == 0
      isOpen = false
      guard close(fd) == 0, synced else { throw SystemError("cannot write \(path): \(Self.lastError)") }
      guard rename(partial, path) == 0 else { throw SystemError("cannot rename into \(path): \(Self.lastError)") }
      return head
    } catch {
      if isOpen { close(fd) }
      unlink(partial)
      throw error
    }
  }

  static var lastError: String { String(cString: strerror(errno)) }
}
