extension SegmentCipher {
  /// Seals consecutive segments starting at `firstIndex`. Without `final`, `plaintext`
  /// must hold whole segments; with it, the last piece (possibly short, or the only and
  /// empty one) is marked final.
  public func seal(_ plaintext: UnsafeRawBufferPointer, firstIndex: UInt64, final: Bool) -> [UInt8] {
    let pieces = Self.pieces(plaintext.count, unit: segmentSize, final: final)
    precondition(final || plaintext.count % segmentSize == 0, "a non-final batch holds whole segments")
    let gcm = AESGCM()
    let total = plaintext.count + pieces.count * Self.tagSize
    return [UInt8](unsafeUninitializedCapacity: total) { output, count in
      var outputOffset = 0
      for (number, range) in pieces.enumerated() {
        let index = firstIndex + UInt64(number)
        let destination = UnsafeMutableRawBufferPointer(
          rebasing: UnsafeMutableRawBufferPointer(output)[outputOffset..<outputOffset + range.count + Self.tagSize])
        gcm.seal(
          key: key, nonce: Self.nonce(index),
          aad: additionalData(index: index, final: final && number == pieces.count - 1),
          plaintext: UnsafeRawBufferPointer(rebasing: plaintext[range]), into: destination)
        outputOffset += range.count + Self.tagSize
      }
      count = total
    }
  }

  /// A whole object, sealed in one call (small objects and tests).
  public func sealObject(_ plaintext: [UInt8]) -> [UInt8] {
    plaintext.withUnsafeBytes { seal($0, firstIndex: 0, final: true) }
  }

  /// The byte ranges of the segments of `count` bytes cut in `unit`s: whole units, and
  /// with `final` a last shorter one (one empty range for empty input).
  static func pieces(_ count: Int, unit: Int, final: Bool) -> [Range<Int>] {
    var ranges = stride(from: 0, to: count, by: unit).map { $0..<min($0 + unit, count) }
    if final && ranges.isEmpty { ranges = [0..<0] }
    return ranges
  }
}
