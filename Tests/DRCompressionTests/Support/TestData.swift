/// Deterministic test inputs.
enum TestData {
  /// A small fast generator (xorshift64*), so inputs are the same on every run.
  struct Generator {
    var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    mutating func next() -> UInt64 {
      state ^= state >> 12
      state ^= state << 25
      state ^= state >> 27
      return state &* 2_685_821_657_736_338_717
    }
  }

  /// Incompressible bytes.
  static func random(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var generator = Generator(seed: seed)
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: generator.next() >> 29) }
      initialized = count
    }
  }

  /// Rows like a `pg_dump` COPY section: ids, words, numbers, timestamps.
  static func text(_ count: Int, seed: UInt64 = 2) -> [UInt8] {
    let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    var generator = Generator(seed: seed)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 200)
    var row = 0
    while bytes.count < count {
      let value = generator.next()
      let word = words[Int(value % 10)]
      let line =
        "\(row)\t\(word) \(words[Int((value >> 8) % 10)])\t\(value % 100_000)\t2024-05-\(value % 28 + 1) 12:00:00\n"
      bytes += line.utf8
      row += 1
    }
    return Array(bytes.prefix(count))
  }

  /// Runs of one byte, 100 to 300 long: bzip2's first run-length pass shrinks them about
  /// fifty times, so even level 9 gets through gigabytes quickly.
  static func runs(_ count: Int, seed: UInt64 = 3) -> [UInt8] {
    var generator = Generator(seed: seed)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 300)
    while bytes.count < count {
      let value = generator.next()
      bytes += repeatElement(UInt8(truncatingIfNeeded: value), count: 100 + Int((value >> 16) % 201))
    }
    return Array(bytes.prefix(count))
  }

  /// Cuts `bytes` into buffers whose sizes cycle through `sizes`.
  static func pieces(_ bytes: [UInt8], sizes: [Int]) -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    var offset = 0
    var turn = 0
    while offset < bytes.count {
      let end = min(offset + sizes[turn % sizes.count], bytes.count)
      pieces.append(Array(bytes[offset..<end]))
      offset = end
      turn += 1
    }
    return pieces
  }
}
