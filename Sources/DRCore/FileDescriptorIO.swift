import Foundation

/// Reads a file descriptor to its end on a thread of its own, into a bounded queue.
public enum FileDescriptorReader {
  /// Starts the reader; `queue` receives buffers of up to `readSize` bytes, then the end
  /// (or an error). The descriptor is closed at the end when `closeWhenDone`.
  public static func start(fd: Int32, into queue: ByteQueue, readSize: Int = 1 << 20, closeWhenDone: Bool = true) {
    let thread = Thread {
      defer { if closeWhenDone { close(fd) } }
      var buffer = [UInt8](repeating: 0, count: readSize)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, readSize) }
        if count < 0, errno == EINTR { continue }
        if count < 0 {
          queue.finish(throwing: SystemError("read failed: \(String(cString: strerror(errno)))"))
          return
        }
        if count == 0 {
          queue.finish()
          return
        }
        guard queue.put(Array(buffer[0..<count])) else { return }
      }
    }
    thread.name = "dr-reader"
    thread.start()
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
