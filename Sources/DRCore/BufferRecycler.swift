import Synchronization

/// Buffers of one size handed back by their last user and given out again, so a stream
/// that allocates a buffer per few megabytes stops paying the page faults (and the kernel's
/// zeroing) of fresh memory each time: glibc gives buffers of a megabyte or more their own
/// mapping (see `tuneMemoryAllocator`), which is returned to the system when freed. At most
/// `limit` spares are kept; past that, a buffer given back is freed.
public final class BufferRecycler: Sendable {
  public let size: Int
  public let limit: Int
  private let spares = Mutex<[[UInt8]]>([])

  public init(size: Int, limit: Int = 2) {
    self.size = size
    self.limit = limit
  }

  /// A buffer of `size` bytes whose contents are whatever they were: a spare, or new.
  public func take() -> [UInt8] {
    if let spare = spares.withLock({ $0.popLast() }) { return spare }
    return [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
  }

  /// Takes `buffer` back when it is whole (`size` bytes) and a spare is wanted. Its
  /// contents are not cleared: the next taker overwrites them.
  public func give(_ buffer: [UInt8]) {
    guard buffer.count == size else { return }
    spares.withLock { spares in
      if spares.count < limit { spares.append(buffer) }
    }
  }

  /// Spares held now.
  public var spareCount: Int { spares.withLock { $0.count } }
}
