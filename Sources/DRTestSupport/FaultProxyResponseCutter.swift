/// HTTP mode, upstream to client: finds where a response body passes a drop's byte count.
/// Armed for the response to one request (clients do not pipeline, so the next bytes from
/// upstream are that response); interim `1xx` responses are skipped, the final response's
/// head is not counted, its body is.
struct ResponseCutter {
  private enum Phase {
    case idle
    case head([UInt8])
    case body(seen: Int)
  }

  /// The longest response head looked at; a longer one disarms the cutter.
  static let headLimit = 65536
  private var phase = Phase.idle
  private(set) var drop: PendingDrop?

  /// Watches the next response for `drop`, or for nothing.
  init(_ drop: PendingDrop?) {
    self.drop = drop
    phase = drop == nil ? .idle : .head([])
  }

  mutating func disarm() {
    phase = .idle
    drop = nil
  }

  /// The offset in `piece` past which the armed drop cuts the stream, if it is in `piece`.
  mutating func cutOffset(in piece: ArraySlice<UInt8>) -> Int? {
    guard let drop else { return nil }
    var offset = 0
    // Bounded: every turn consumes a response head from `piece` or ends.
    while offset < piece.count {
      switch phase {
      case .idle:
        return nil
      case .head(var bytes):
        let before = bytes.count
        bytes.append(contentsOf: piece.dropFirst(offset))
        guard let end = RequestHead.end(in: bytes) else {
          phase = bytes.count > Self.headLimit ? .idle : .head(bytes)
          return nil
        }
        offset += end - before
        let interim = responseStatus(bytes[..<end]).map { (100..<200).contains($0) } ?? false
        phase = interim ? .head([]) : .body(seen: 0)
      case .body(let seen):
        let available = piece.count - offset
        if seen + available > drop.afterBytes { return offset + drop.afterBytes - seen }
        phase = .body(seen: seen + available)
        return nil
      }
    }
    return nil
  }
}
