import DRCore

/// Decodes a whole file of its codec, frames one after another, without knowing where
/// they start or how much each holds: the serial path for files dr did not write.
///
/// One decoder belongs to one thread. It keeps the input it was given until it has
/// decoded it, and hands out at most `limit` bytes per call, so a file that expands a
/// thousandfold still comes out in pieces of a bounded size.
protocol StreamDecoder: AnyObject {
  /// Takes `input` after what it holds and decodes until its input is used up or `limit`
  /// bytes are out. `more` says output is left: call again (with no input) for it.
  func decode(_ input: AccountedBytes?, limit: Int, stop: StopFlag) throws -> (bytes: [UInt8], more: Bool)
  /// The input has ended: throws when it ended inside a frame or held none. Returns the
  /// number of frames decoded.
  func end() throws -> Int
}

/// Input given to a `StreamDecoder` and not yet decoded, oldest first, each buffer kept
/// (and counted in its account) until its last byte is decoded.
struct HeldInput {
  private var buffers: [AccountedBytes] = []
  /// How far into `buffers[0]` decoding has gone.
  private var position = 0

  var isEmpty: Bool { buffers.isEmpty }

  mutating func append(_ bytes: AccountedBytes?) {
    if let bytes, bytes.count > 0 { buffers.append(bytes) }
  }

  /// Calls `body` with up to `slice` bytes of the oldest buffer; `body` returns how many
  /// it used.
  mutating func use(upTo slice: Int, _ body: (UnsafeRawBufferPointer) throws -> Int) rethrows {
    guard let first = buffers.first else { return }
    let used = try first.bytes.withUnsafeBytes { all in
      try body(UnsafeRawBufferPointer(rebasing: all[position..<min(position + slice, all.count)]))
    }
    position += used
    if position == first.count {
      buffers.removeFirst()
      position = 0
    }
  }

  /// The bytes held, for messages.
  var count: Int { buffers.reduce(0) { $0 + $1.count } - position }
}
