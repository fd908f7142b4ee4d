import DRCompression
import DRCore
import DRCrypto

extension CipherStream {
  /// Sends the filled batch to the stage, numbering its segments.
  func submit(final: Bool) async throws {
    let batch = Batch(bytes: fill, firstIndex: nextIndex, final: final)
    fill = []
    let unit = direction == .seal ? cipher.segmentSize : cipher.storedSegmentSize
    nextIndex += UInt64(max(1, (batch.bytes.count + unit - 1) / unit))
    try await stage.submit(batch, deliver: deliver)
  }

  /// Hands one sealed or opened batch to the consumer.
  func deliver(_ output: [UInt8]) async throws {
    try await consumer(output)
    bytesOut += Int64(output.count)
  }

  func dropFill() {
    fill = []
  }

  /// Seals or opens one batch, on a thread of the stage (a batch takes milliseconds, so
  /// it does not look at the stop flag).
  static func run(_ batch: Batch, _ cipher: SegmentCipher, _ direction: Direction) throws -> [UInt8] {
    try batch.bytes.withUnsafeBytes { bytes in
      switch direction {
      case .seal: cipher.seal(bytes, firstIndex: batch.firstIndex, final: batch.final)
      case .open: try cipher.open(bytes, firstIndex: batch.firstIndex, final: batch.final)
      }
    }
  }
}
