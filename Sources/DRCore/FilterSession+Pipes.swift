import Foundation

/// A filter session's standard output and error (our read ends, blocking, read only when
/// `poll` says so), each -1 once it ended.
struct FilterPipes {
  private(set) var output: Int32
  private(set) var error: Int32
  private var outputReady = false
  private var errorReady = false

  init(output: Int32, error: Int32) {
    self.output = output
    self.error = error
  }

  var outputOpen: Bool { output >= 0 }
  var errorOpen: Bool { error >= 0 }
  var isOpen: Bool { outputOpen || errorOpen }

  /// Waits at most 50 ms until a pipe can be read or `input` (when not -1) written; true
  /// when `input` can be written (or its reader is gone).
  @discardableResult
  mutating func wait(writing input: Int32 = -1) throws -> Bool {
    var descriptors = [
      pollfd(fd: input, events: Int16(POLLOUT), revents: 0), pollfd(fd: output, events: Int16(POLLIN), revents: 0),
      pollfd(fd: error, events: Int16(POLLIN), revents: 0),
    ]
    let ready = poll(&descriptors, nfds_t(descriptors.count), FilterSession.pollMilliseconds)
    if ready < 0, errno != EINTR { throw SystemError(failed: "poll") }
    outputReady = ready > 0 && descriptors[1].revents != 0
    errorReady = ready > 0 && descriptors[2].revents != 0
    return ready > 0 && descriptors[0].revents != 0
  }

  /// Reads what standard output has ready into `buffer`; 0 when nothing was ready.
  mutating func readOutput(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard outputReady, buffer.count > 0 else { return 0 }
    outputReady = false
    return try Self.read(&output, into: buffer)
  }

  /// Appends what standard error has ready to `tail`, keeping its last 4 KiB.
  mutating func readError(into tail: inout [UInt8]) throws {
    guard errorReady else { return }
    errorReady = false
    var scratch = [UInt8](repeating: 0, count: 4 << 10)
    let count = try scratch.withUnsafeMutableBytes { try Self.read(&error, into: $0) }
    tail += scratch[..<count]
    if tail.count > FilterSession.errorLimit { tail.removeFirst(tail.count - FilterSession.errorLimit) }
  }

  mutating func closeAll() {
    if output >= 0 { close(output) }
    if error >= 0 { close(error) }
    (output, error) = (-1, -1)
  }

  /// One read; at the pipe's end it is closed and set to -1.
  private static func read(_ fd: inout Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
    if count < 0, errno == EINTR || errno == EAGAIN { return 0 }
    guard count >= 0 else { throw SystemError(failed: "reading the filter's output") }
    if count == 0 {
      close(fd)
      fd = -1
    }
    return count
  }
}
