import CDRSystem
import Foundation

/// Writes to a regular file at given offsets, for parts that arrive out of order. Blocking:
/// call it from a thread of its own (libcurl's transfer thread), not the cooperative pool.
public enum PositionalFile {
  /// Writes all of `bytes` at `offset`.
  public static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32, at offset: Int64) throws {
    var done = 0
    while done < bytes.count {
      let written = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
      if written < 0, errno == EINTR { continue }
      guard written > 0 else { throw SystemError("write failed: \(String(cString: strerror(errno)))") }
      done += written
    }
  }

  /// Starts writing `length` bytes at `offset` back to disk without waiting, so the fsync
  /// at the end overlaps the transfer instead of following it. Advisory: a file system
  /// that refuses it only leaves more for the fsync.
  public static func startWriteback(_ fd: Int32, offset: Int64, length: Int64) {
    _ = cdr_start_writeback(fd, offset, length)
  }
}
