import DRCore
import DRHTTP
import Foundation
import Synchronization

/// Collects a response body in memory (small objects only).
public final class CollectingSink: HTTPResponseSink, @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [UInt8] = []

  public init(capacity: Int = 0) {
    storage.reserveCapacity(capacity)
  }

  public func receive(_ bytes: UnsafeRawBufferPointer) throws {
    lock.withLock { storage.append(contentsOf: bytes) }
  }

  public var bytes: [UInt8] { lock.withLock { storage } }
}

/// Passes bytes on and counts them, so a cut-off download can resume where it stopped.
final class CountingSink: HTTPResponseSink, @unchecked Sendable {
  private let inner: any HTTPResponseSink
  private let counter = Atomic<Int64>(0)
  var etag: String?

  init(_ inner: any HTTPResponseSink) {
    self.inner = inner
  }

  var count: Int64 { counter.load(ordering: .acquiring) }

  func receiveHead(_ head: HTTPResponseHead) {
    if etag == nil { etag = head.header("ETag") }
    inner.receiveHead(head)
  }

  func receive(_ bytes: UnsafeRawBufferPointer) throws {
    try inner.receive(bytes)
    counter.add(Int64(bytes.count), ordering: .releasing)
  }
}

/// Writes a ranged GET's body into a file at the range's offsets, as it arrives: parts in
/// flight need no buffers, and their order does not matter.
final class PositionalFileSink: HTTPResponseSink, @unchecked Sendable {
  private let fd: Int32
  private let start: Int64
  private let written = Atomic<Int64>(0)

  init(fd: Int32, start: Int64) {
    self.fd = fd
    self.start = start
  }

  /// Bytes written so far (a resumed GET goes on from there).
  var count: Int64 { written.load(ordering: .acquiring) }

  func receive(_ bytes: UnsafeRawBufferPointer) throws {
    try PositionalFile.write(bytes, to: fd, at: start + count)
    written.add(Int64(bytes.count), ordering: .releasing)
  }
}
