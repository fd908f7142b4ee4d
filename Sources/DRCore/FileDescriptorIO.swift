import Foundation

/// Reads a file descriptor to its end on a thread of its own, into a bounded queue.
public enum FileDescriptorReader {
  /// Starts the reader; `queue` receives buffers taken from `recycler` (its size is the read
  /// size), each full but the last, then the end (or an error). The consumer may give them
  /// back; a recycler with no spares (`limit: 0`) means a new buffer each time. The
  /// descriptor is closed at the end when `closeWhenDone`.
  public static func start(fd: Int32, into queue: ByteQueue, recycler: BufferRecycler, closeWhenDone: Bool = true) {
    let thread = Thread {
      defer { if closeWhenDone { close(fd) } }
      while true {
        do {
          let chunk = try readFull(fd: fd, recycled: recycler)
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
    let got = try buffer.withUnsafeMutableBytes { bytes in
      var initialized = 0
      while initialized < capacity {
        let got = read(fd, bytes.baseAddress! + initialized, capacity - initialized)
        if got < 0, errno == EINTR { continue }
        if got < 0 { throw SystemError("read failed: \(String(cString: strerror(errno)))") }
        if got == 0 { break }
        initialized += got
      }
      return initialized
    }
    if got < capacity { buffer.removeLast(capacity - got) }
    return buffer
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
