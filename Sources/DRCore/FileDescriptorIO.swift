import Foundation

/// Reads a file descriptor to its end on a thread of its own, into a bounded queue.
public enum FileDescriptorReader {
  /// Starts the reader; `queue` receives buffers of up to `readSize` bytes, then the end
  /// (or an error). The descriptor is closed at the end when `closeWhenDone`.
  /// With a `recycler`, buffers are taken from it (its size is the read size): the consumer
  /// gives them back when done.
  public static func start(
    fd: Int32, into queue: ByteQueue, readSize: Int = 1 << 20, recycler: BufferRecycler? = nil,
    closeWhenDone: Bool = true
  ) {
    let thread = Thread {
      defer { if closeWhenDone { close(fd) } }
      while true {
        do {
          let chunk = try recycler.map { try readFull(fd: fd, recycled: $0) } ?? readFull(fd: fd, count: readSize)
          if chunk.isEmpty {
            queue.finish()
            return
          }
          guard queue.put(chunk) else { return }
        } catch {
          queue.finish(throwing: error)
          return
        }
      }
    }
    thread.name = "dr-reader"
    thread.start()
  }

  /// Reads until a buffer of `recycler`'s is full or the end, into that buffer (taken and
  /// filled in place: it is this function's alone); returns it cut to what was read.
  static func readFull(fd: Int32, recycled recycler: BufferRecycler) throws -> [UInt8] {
    var buffer = recycler.take()
    let capacity = buffer.count
    let got = try buffer.withUnsafeMutableBytes { try readAll(fd: fd, into: $0) }
    if got < capacity { buffer.removeLast(capacity - got) }
    return buffer
  }

  /// Reads until `count` bytes or the end, straight into a new buffer (no copy): a file
  /// yields whole `count`-sized buffers, which the uploader can take as parts as they are.
  static func readFull(fd: Int32, count: Int) throws -> [UInt8] {
    try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      initialized = 0
      initialized = try readAll(fd: fd, into: UnsafeMutableRawBufferPointer(buffer))
    }
  }

  /// Reads until `bytes` is full or the end; returns how many bytes were read.
  private static func readAll(fd: Int32, into bytes: UnsafeMutableRawBufferPointer) throws -> Int {
    var initialized = 0
    while initialized < bytes.count {
      let got = read(fd, bytes.baseAddress! + initialized, bytes.count - initialized)
      if got < 0, errno == EINTR { continue }
      if got < 0 { throw SystemError("read failed: \(String(cString: strerror(errno)))") }
      if got == 0 { break }
      initialized += got
    }
    return initialized
  }
}

/// Writes whole buffers to a file descriptor, off the cooperative pool (a pipe to a slow
/// reader may block for long).
public struct FileDescriptorWriter: Sendable {
  public let fd: Int32

  public init(fd: Int32) {
    self.fd = fd
  }

  public func write(_ bytes: [UInt8]) async throws {
    let fd = self.fd
    try await runBlocking("dr-writer") {
      var offset = 0
      while offset < bytes.count {
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { throw SystemError("write failed: \(String(cString: strerror(errno)))") }
        offset += written
      }
    }
  }
}
