import DRCore

extension SegmentCipher {
  /// Opens consecutive stored segments starting at `firstIndex` and returns their
  /// plaintext, only once every tag has matched. With `final`, the last stored segment
  /// must be the object's final one; without, `stored` holds whole segments.
  public func open(_ stored: UnsafeRawBufferPointer, firstIndex: UInt64, final: Bool) throws(CryptoError) -> [UInt8] {
    let pieces = try storedPieces(stored.count, firstIndex: firstIndex, final: final)
    let gcm = AESGCM()
    let total = stored.count - pieces.count * Self.tagSize
    var failure: CryptoError?
    let plaintext = [UInt8](unsafeUninitializedCapacity: total) { output, count in
      var outputOffset = 0
      for (number, range) in pieces.enumerated() {
        let index = firstIndex + UInt64(number)
        let isFinal = final && number == pieces.count - 1
        let piece = UnsafeRawBufferPointer(rebasing: stored[range])
        let destination = UnsafeMutableRawBufferPointer(
          rebasing: UnsafeMutableRawBufferPointer(output)[outputOffset..<outputOffset + range.count - Self.tagSize])
        guard
          gcm.open(
            key: key, nonce: Self.nonce(index), aad: additionalData(index: index, final: isFinal), sealed: piece,
            into: destination)
        else {
          failure = diagnose(piece, index: index, final: isFinal, gcm: gcm)
          count = 0
          return
        }
        outputOffset += destination.count
      }
      count = total
    }
    if let failure { throw failure }
    return plaintext
  }

  /// A whole stored object, opened in one call (small objects and tests).
  public func openObject(_ stored: [UInt8]) throws(CryptoError) -> [UInt8] {
    let result = stored.withUnsafeBytes { bytes in
      Result { () throws(CryptoError) -> [UInt8] in try open(bytes, firstIndex: 0, final: true) }
    }
    return try result.get()
  }

  /// The stored segments of a batch; a final batch that cannot end on a final segment
  /// (nothing at all, or fewer bytes than a tag after the last whole segment) is truncated.
  func storedPieces(_ count: Int, firstIndex: UInt64, final: Bool) throws(CryptoError) -> [Range<Int>] {
    let unit = storedSegmentSize
    guard final else {
      precondition(count % unit == 0, "a non-final batch holds whole stored segments")
      return Self.pieces(count, unit: unit, final: false)
    }
    guard count > 0 || firstIndex > 0 else {
      throw CryptoError(.truncated, "the object is empty: an encrypted object holds at least one segment")
    }
    let tail = count % unit
    guard tail == 0 || tail >= Self.tagSize else {
      let index = firstIndex + UInt64(count / unit)
      throw CryptoError(
        .truncated,
        "the object ends inside segment \(index + 1), \(tail) bytes into it (a segment holds at least its "
          + "\(Self.tagSize)-byte tag): it was truncated")
    }
    return Self.pieces(count, unit: unit, final: true)
  }
}
