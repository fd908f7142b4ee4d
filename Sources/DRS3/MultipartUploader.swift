import DRCore
import DRCrypto
import Foundation

/// Writes one object from a stream of bytes: a single PUT when it stays under one part,
/// a multipart upload with `partsInFlight` parts in flight otherwise.
///
/// Memory is bounded by (partsInFlight + 1) × partSize whatever the object's size. The
/// SHA-256 of the whole object is computed on the way. A failure anywhere, or `abort()`,
/// aborts the multipart upload so nothing half-written stays behind.
public actor MultipartUploader {
  enum State {
    case buffering
    case uploading(uploadID: String)
    case finished(UploadResult)
    case failed(any Error)
  }

  public let client: S3Client
  public let bucket: String
  public let key: String
  public let plan: UploadPlan
  public let options: S3PutOptions
  /// Part-sized buffers, given back once their part is uploaded and kept as a spare with
  /// `recycleParts`: a reader that takes its buffers from here hands whole parts over in
  /// memory already mapped, and parts filled from smaller writes reuse them too. Without it
  /// (backups, whose parts arrive at compression speed: the spare would be 8 MiB of RSS for
  /// little) every part is a new buffer.
  public nonisolated let partRecycler: BufferRecycler
  private let progress: (@Sendable (Int64) -> Void)?
  private var state = State.buffering
  private var buffer: [UInt8] = []
  private var size: Int64 = 0
  private var uploaded: Int64 = 0
  /// The whole object's SHA-256, when asked for (manifests need it; a plain copy may not).
  private let hasher: SHA256Hasher?
  private var inFlight: [Task<S3Part, any Error>] = []
  private var parts: [S3Part] = []

  public init(
    client: S3Client, bucket: String, key: String, plan: UploadPlan, options: S3PutOptions = S3PutOptions(),
    hashWholeObject: Bool = true, recycleParts: Bool = false, progress: (@Sendable (Int64) -> Void)? = nil
  ) {
    self.hasher = hashWholeObject ? SHA256Hasher() : nil
    self.client = client
    self.bucket = bucket
    self.key = key
    self.plan = plan
    self.options = options
    self.progress = progress
    partRecycler = BufferRecycler(size: plan.partSize, limit: recycleParts ? 1 : 0)
  }

  /// Appends bytes; waits when `partsInFlight` parts are already on their way.
  public func write(_ bytes: [UInt8]) async throws {
    try checkWritable()
    if buffer.isEmpty, bytes.count == plan.partSize {
      // A whole part as it is: no copy.
      buffer = bytes
      return try await sealPart(final: false)
    }
    var rest = bytes[...]
    while !rest.isEmpty {
      if buffer.capacity == 0 {
        buffer = partRecycler.take()
        buffer.removeAll(keepingCapacity: true)
      }
      let room = plan.partSize - buffer.count
      buffer += rest.prefix(room)
      rest = rest.dropFirst(room)
      if buffer.count == plan.partSize { try await sealPart(final: false) }
    }
  }

  /// Uploads what is left and completes the object.
  public func finish() async throws -> UploadResult {
    try checkWritable()
    do {
      if case .buffering = state {
        return try await finishSingle()
      }
      if !buffer.isEmpty { try await sealPart(final: true) }
      for task in inFlight { parts.append(try await result(of: task)) }
      inFlight = []
      guard case .uploading(let uploadID) = state else { throw CancellationError() }
      let etag = try await client.completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, parts: parts)
      return complete(etag: etag, parts: parts.count)
    } catch {
      await fail(error)
      throw error
    }
  }

  /// Stops: cancels parts in flight and aborts the multipart upload. Safe to call twice.
  public func abort() async {
    await fail(CancellationError())
  }
}

extension MultipartUploader {
  private func checkWritable() throws {
    switch state {
    case .buffering, .uploading: return
    case .finished:
      throw S3Error(.invalidRequest, operation: "upload s3://\(bucket)/\(key)", message: "already finished")
    case .failed(let error): throw error
    }
  }

  private func finishSingle() async throws -> UploadResult {
    let body = buffer
    let md5 = client.requiresContentMD5(bucket, objectLock: options.objectLock != nil)
    let digests = try await runBlocking("dr-hash") { BodyDigests(body, md5: md5) }
    hasher?.update(body)
    let etag = try await client.putObject(bucket: bucket, key: key, body: body, options: options, digests: digests)
    uploaded = Int64(body.count)
    progress?(uploaded)
    return complete(etag: etag, parts: 0, size: Int64(body.count))
  }

  private func complete(etag: String, parts: Int, size explicitSize: Int64? = nil) -> UploadResult {
    let result = UploadResult(
      bucket: bucket, key: key, size: explicitSize ?? size, sha256: hasher?.finalize().hex, etag: etag, parts: parts,
      partSize: plan.partSize)
    state = .finished(result)
    buffer = []
    return result
  }

  /// Hands the buffered part to a task of its own, after starting the upload if needed.
  private func sealPart(final: Bool) async throws {
    do {
      if case .buffering = state {
        let uploadID = try await client.createMultipartUpload(bucket: bucket, key: key, options: options)
        state = .uploading(uploadID: uploadID)
        // Before any part: the probe's part 1 is replaced by the upload's own.
        if options.objectLock == nil {
          await client.probePayloadHashCheck(bucket: bucket, key: key, uploadID: uploadID)
        }
      }
      guard case .uploading(let uploadID) = state else { return }
      let number = parts.count + inFlight.count + 1
      guard number <= plan.partLimit else {
        throw S3Error(
          .invalidRequest, operation: "upload s3://\(bucket)/\(key)",
          message: "the object outgrew \(plan.partLimit) parts of \(plan.partSize >> 20) MiB "
            + "(\(plan.capacity >> 20) MiB); it was stopped and nothing was kept. Give a larger expected size "
            + "so that larger parts are chosen")
      }
      let body = buffer
      buffer = []
      size += Int64(body.count)
      if let hasher { try await runBlocking("dr-hash") { hasher.update(body) } }
      inFlight.append(partTask(uploadID: uploadID, number: number, body: body))
      if inFlight.count >= plan.partsInFlight {
        parts.append(try await result(of: inFlight.removeFirst()))
      }
    } catch {
      await fail(error)
      throw error
    }
  }

  /// A part's result. Cancelling the caller cancels the part: an unstructured task would
  /// otherwise go on uploading after SIGTERM, for minutes over a slow link.
  private func result(of task: Task<S3Part, any Error>) async throws -> S3Part {
    try await withTaskCancellationHandler {
      try await task.value
    } onCancel: {
      task.cancel()
    }
  }

  private func partTask(uploadID: String, number: Int, body: [UInt8]) -> Task<S3Part, any Error> {
    let objectLock = options.objectLock != nil
    return Task { [client, bucket, key, partRecycler] in
      let md5 = client.requiresContentMD5(bucket, objectLock: objectLock)
      let digests = try await runBlocking("dr-hash") { BodyDigests(body, md5: md5) }
      let part = try await client.uploadPart(
        bucket: bucket, key: key, uploadID: uploadID, number: number, body: body, digests: digests,
        objectLock: objectLock)
      self.partDone(Int64(body.count))
      partRecycler.give(body)
      return part
    }
  }

  private func partDone(_ bytes: Int64) {
    uploaded += bytes
    progress?(uploaded)
  }

  private func fail(_ error: any Error) async {
    if case .finished = state { return }
    if case .failed = state { return }
    let previous = state
    state = .failed(error)
    for task in inFlight { task.cancel() }
    for task in inFlight { _ = try? await task.value }
    inFlight = []
    buffer = []
    if case .uploading(let uploadID) = previous {
      // Abort even when this task is cancelled: leaving the upload would keep its parts.
      await Task.detached { [client, bucket, key] in
        try? await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
      }.value
    }
  }
}
