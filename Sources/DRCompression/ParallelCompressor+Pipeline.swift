extension ParallelCompressor {
  /// Refuses calls after the end and overlapping calls.
  func enter() throws {
    switch phase {
    case .open: break
    case .finished: throw CompressionError(.misuse, "the compressor has finished")
    case .failed(let error): throw error
    }
    guard !busy else { throw CompressionError(.misuse, "write and finish calls overlap") }
    busy = true
  }

  /// Runs `body`; on any error stops everything before rethrowing it.
  func failing<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch {
      await fail(error)
      throw error
    }
  }

  /// Hands the filled buffer to the pool once a place is free, then passes on every
  /// chunk that is already done, so finished output does not wait for the next write.
  func seal() async throws {
    let input = AccountedBytes(fill, in: account, side: .input, alreadyCounted: true)
    fill = []
    let work = ChunkWork(
      index: streams.count + pending.count, uncompressedOffset: bytesIn, uncompressedLength: input.count, bytes: input)
    bytesIn += Int64(input.count)
    while pending.count > threads { try await deliverHead() }
    try checkOpen()
    pending.append(pool.submit(work))
    while let head = pending.first, head.isDone { try await deliverHead() }
  }

  /// Waits for the oldest chunk and hands it to the consumer.
  func deliverHead() async throws {
    let job = pending.removeFirst()
    let done = try await job.value()
    try checkOpen()
    let boundary = StreamBoundary(
      compressedOffset: bytesOut, compressedLength: Int64(done.bytes.count),
      uncompressedOffset: done.uncompressedOffset, uncompressedLength: Int64(done.uncompressedLength))
    try await consumer(CompressedChunk(index: done.index, bytes: done.bytes.bytes, boundary: boundary))
    streams.append(boundary)
    bytesOut += boundary.compressedLength
  }

  /// Throws the failure that `abort` or another call recorded meanwhile.
  func checkOpen() throws {
    if case .failed(let error) = phase { throw error }
  }

  /// Records the first failure, stops the threads and waits until none runs.
  func fail(_ error: any Error) async {
    if case .open = phase { phase = .failed(error) }
    pool.shutdown(cancelling: true)
    pending = []
    account.remove(fill.count, from: .input)
    fill = []
    await pool.waitUntilStopped()
  }
}
