extension ParallelDecompressor {
  static func validate(_ boundaries: [StreamBoundary]) throws(CompressionError) {
    var compressed: Int64 = 0
    var uncompressed: Int64 = 0
    for (index, boundary) in boundaries.enumerated() {
      guard boundary.compressedOffset == compressed, boundary.uncompressedOffset == uncompressed else {
        throw CompressionError(.invalidArgument, "stream \(index + 1) does not start where stream \(index) ends")
      }
      guard (0...(1 << 30)).contains(boundary.compressedLength),
        (0...(1 << 30)).contains(boundary.uncompressedLength)
      else {
        throw CompressionError(.invalidArgument, "stream \(index + 1) has a length outside 0...1 GiB")
      }
      compressed += boundary.compressedLength
      uncompressed += boundary.uncompressedLength
    }
  }

  func enter() throws {
    switch phase {
    case .open: break
    case .finished: throw CompressionError(.misuse, "the decompressor has finished")
    case .failed(let error): throw error
    }
    guard !busy else { throw CompressionError(.misuse, "write and finish calls overlap") }
    busy = true
  }

  func failing<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch {
      await fail(error)
      throw error
    }
  }

  /// Seals every stream whose bytes are all there (empty streams at once).
  func sealCompleteStreams() async throws {
    while current < boundaries.count, fill.count == Int(boundaries[current].compressedLength) {
      let work = StreamWork(
        index: current, bytes: AccountedBytes(fill, in: account, side: .input, alreadyCounted: true))
      fill = []
      current += 1
      while pending.count > threads { try await deliverHead() }
      try checkOpen()
      pending.append(pool.submit(work))
      while let head = pending.first, head.isDone { try await deliverHead() }
    }
  }

  func deliverHead() async throws {
    let job = pending.removeFirst()
    let done = try await job.value()
    try checkOpen()
    try await consumer(DecompressedChunk(index: done.index, bytes: done.bytes.bytes, boundary: boundaries[done.index]))
    delivered += 1
    bytesOut += Int64(done.bytes.count)
  }

  func checkOpen() throws {
    if case .failed(let error) = phase { throw error }
  }

  func fail(_ error: any Error) async {
    if case .open = phase { phase = .failed(error) }
    pool.shutdown(cancelling: true)
    pending = []
    account.remove(fill.count, from: .input)
    fill = []
    await pool.waitUntilStopped()
  }
}
