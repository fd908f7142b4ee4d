extension ParallelCompressor {
  /// Hands the filled buffer to the stage as the next chunk.
  func seal() async throws {
    let input = AccountedBytes(fill, in: account, side: .input, alreadyCounted: true, recycler: inputRecycler)
    fill = []
    let work = ChunkWork(index: sealed, uncompressedOffset: bytesIn, uncompressedLength: input.count, bytes: input)
    sealed += 1
    bytesIn += Int64(input.count)
    try await stage.submit(work, deliver: deliver)
  }

  /// Hands one compressed chunk to the consumer, with its place in both files.
  func deliver(_ done: ChunkWork) async throws {
    let boundary = StreamBoundary(
      compressedOffset: bytesOut, compressedLength: Int64(done.bytes.count),
      uncompressedOffset: done.uncompressedOffset, uncompressedLength: Int64(done.uncompressedLength))
    try await consumer(CompressedChunk(index: done.index, bytes: done.bytes.bytes, boundary: boundary))
    streams.append(boundary)
    bytesOut += boundary.compressedLength
  }

  /// Drops the chunk being filled, after a failure.
  func dropFill() {
    account.remove(fill.count, from: .input)
    fill = []
  }
}
