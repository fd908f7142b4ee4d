import DRCore

extension SegmentCipher {
  /// How far from its place a moved segment is looked for, to name what happened.
  static let diagnosisWindow: UInt64 = 8

  /// Why the segment at `index` did not open: it opens with the other final flag
  /// (truncated, or something follows the final segment), it opens at a nearby index
  /// (segments dropped or reordered), or it opens nowhere near (altered, or from another
  /// object or backup). Only runs after a failure, so its cost does not matter.
  func diagnose(_ piece: UnsafeRawBufferPointer, index: UInt64, final: Bool, gcm: AESGCM) -> CryptoError {
    let place = "segment \(index + 1) (stored at byte \(index * UInt64(storedSegmentSize)))"
    if opens(piece, index: index, final: !final, gcm: gcm) {
      return final
        ? CryptoError(
          .truncated, "the object ends after \(place), which is not the last segment written: it was truncated")
        : CryptoError(
          .authentication,
          "\(place) is marked as the last segment written, but more data follows it: data was appended or "
            + "segments were reordered")
    }
    let low = index >= Self.diagnosisWindow ? index - Self.diagnosisWindow : 0
    for candidate in low...(index + Self.diagnosisWindow) where candidate != index {
      if opens(piece, index: candidate, final: false, gcm: gcm) || opens(piece, index: candidate, final: true, gcm: gcm)
      {
        return CryptoError(
          .authentication,
          "\(place) holds what was written as segment \(candidate + 1): segments were dropped or reordered")
      }
    }
    // A last segment cut short looks like an altered one: say both.
    let cause =
      final
      ? "the object was truncated inside it, or its bytes were altered, or it belongs to another object or backup"
      : "its bytes were altered, or it belongs to another object or backup"
    return CryptoError(.authentication, "\(place) fails authentication: \(cause)")
  }

  private func opens(_ piece: UnsafeRawBufferPointer, index: UInt64, final: Bool, gcm: AESGCM) -> Bool {
    var scratch = [UInt8](repeating: 0, count: piece.count - Self.tagSize)
    return scratch.withUnsafeMutableBytes { output in
      gcm.open(
        key: key, nonce: Self.nonce(index), aad: additionalData(index: index, final: final), sealed: piece,
        into: output)
    }
  }
}
