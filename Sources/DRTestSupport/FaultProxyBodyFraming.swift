/// Follows a request body through the bytes that carry it, to find where it ends and the
/// next request begins. Bytes are only inspected, never changed.
struct BodyFramer {
  private var remainingLength: Int?
  private var chunks: ChunkedBodyScanner?

  init(_ framing: BodyFraming) {
    switch framing {
    case .none: remainingLength = 0
    case .length(let length): remainingLength = length
    case .chunked: chunks = ChunkedBodyScanner()
    }
  }

  var isComplete: Bool { chunks?.isComplete ?? (remainingLength == 0) }

  /// How many of `bytes`, from their start, belong to the body; nil when the chunked
  /// framing is malformed.
  mutating func consume(_ bytes: ArraySlice<UInt8>) -> Int? {
    if let remaining = remainingLength {
      let count = min(remaining, bytes.count)
      remainingLength = remaining - count
      return count
    }
    return chunks?.consume(bytes)
  }
}

/// The chunked transfer coding (RFC 9112 §7.1): size lines in hex with optional
/// extensions, data, CRLF, a zero-size last chunk, trailer lines, a blank line.
struct ChunkedBodyScanner {
  private enum Phase: Equatable {
    case sizeLine
    case data(remaining: Int)
    case dataEnd(expecting: UInt8)
    case trailer
    case complete
  }

  /// The longest size or trailer line accepted.
  static let lineLimit = 8192
  private var phase = Phase.sizeLine
  private var line: [UInt8] = []

  var isComplete: Bool { phase == .complete }

  /// How many of `bytes` belong to the body; nil when they break the framing.
  mutating func consume(_ bytes: ArraySlice<UInt8>) -> Int? {
    var index = bytes.startIndex
    // Bounded: every turn consumes at least one byte.
    while index < bytes.endIndex && phase != .complete {
      switch phase {
      case .data(let remaining):
        let count = min(remaining, bytes.endIndex - index)
        index += count
        phase = count == remaining ? .dataEnd(expecting: 13) : .data(remaining: remaining - count)
      case .dataEnd(let expected):
        guard bytes[index] == expected else { return nil }
        index += 1
        phase = expected == 13 ? .dataEnd(expecting: 10) : .sizeLine
      case .sizeLine, .trailer:
        let byte = bytes[index]
        index += 1
        if byte == 10 {
          guard endLine() else { return nil }
        } else {
          line.append(byte)
          guard line.count <= Self.lineLimit else { return nil }
        }
      case .complete:
        break
      }
    }
    return index - bytes.startIndex
  }

  /// Acts on a complete line; false when it is malformed.
  private mutating func endLine() -> Bool {
    defer { line.removeAll(keepingCapacity: true) }
    if line.last == 13 { line.removeLast() }
    if phase == .trailer {
      if line.isEmpty { phase = .complete }
      return true
    }
    let sizeText = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self)
    guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else { return false }
    phase = size == 0 ? .trailer : .data(remaining: size)
    return true
  }
}

extension String {
  fileprivate var trimmingSpaces: Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    let start = firstIndex { !isSpace($0) } ?? endIndex
    let end = lastIndex { !isSpace($0) }.map { index(after: $0) } ?? start
    return self[start..<max(start, end)]
  }
}
