import DRCore

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

  /// Hands every stream whose bytes are all there to the stage (empty streams at once).
  func sealCompleteStreams() async throws {
    while current < boundaries.count, fill.count == Int(boundaries[current].compressedLength) {
      let work = StreamWork(
        index: current, bytes: AccountedBytes(fill, in: account, side: .input, alreadyCounted: true))
      fill = []
      current += 1
      try await stage.submit(work, deliver: deliver)
    }
  }

  /// Hands one decoded stream to the consumer, with its boundary.
  func deliver(_ done: StreamWork) async throws {
    try await consumer(DecompressedChunk(index: done.index, bytes: done.bytes.bytes, boundary: boundaries[done.index]))
    bytesOut += Int64(done.bytes.count)
  }

  /// Drops the stream being gathered, after a failure.
  func dropFill() {
    account.remove(fill.count, from: .input)
    fill = []
  }
}
