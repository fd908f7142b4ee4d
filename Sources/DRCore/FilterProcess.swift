import CDRSystem
import Foundation

/// A program run once as a filter, blocking the calling thread (a worker thread of its own,
/// never Swift's cooperative pool): its standard input is a memory file holding the whole
/// input, its standard output is read into the caller's buffer, the last 4 KiB of its
/// standard error are kept. Both pipes are read with `poll`, so `stop` is checked at least
/// every 50 ms; once it is set, or when anything fails, the child's process group is killed
/// and the child reaped before the call returns: no child outlives the call.
public enum FilterProcess {
  /// How a run ended.
  public struct Outcome: Sendable {
    public let termination: ChildProcess.Termination
    /// Bytes of standard output in the buffer.
    public let outputCount: Int
    /// The output did not fit the buffer: the child was killed when it wrote more.
    public let overflowed: Bool
    /// The last 4 KiB the child wrote on standard error.
    public let standardError: String
  }

  static let pollMilliseconds: Int32 = 50
  static let errorLimit = 4 << 10

  /// Runs `executable` with `arguments` on `input`, its output into `output`. Throws
  /// `CancellationError` once `stop` is set (after the child is gone), `SystemError` when
  /// the memory file, the pipes or the spawn fail.
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, stop: StopFlag
  ) throws -> Outcome {
    try stop.check()
    let memory = try memoryFile(holding: input)
    defer { close(memory) }
    let pipes = try SpawnPipes(withInput: false)
    let child = try FilterChild(
      pid: Spawn.start(
        executable, arguments, environment: environment, directory: nil, streams: .inputFile(memory, pipes)))
    defer {
      close(pipes.outputRead)
      close(pipes.errorRead)
      child.killAndReap()
    }
    var reader = FilterReader(output: pipes.outputRead, error: pipes.errorRead)
    let overflowed = try reader.readToEnd(into: output, stop: stop)
    if overflowed { child.killAndReap() }
    let termination = try child.reap(stop: stop)
    return Outcome(
      termination: termination, outputCount: reader.produced, overflowed: overflowed,
      standardError: String(decoding: reader.errorTail, as: UTF8.self))
  }

  /// A close-on-exec memory file holding `input`, positioned at its start.
  static func memoryFile(holding input: UnsafeRawBufferPointer) throws -> Int32 {
    let fd = cdr_memfd_cloexec("dr-filter-input")
    guard fd >= 0 else { throw SystemError("memfd_create failed: \(String(cString: strerror(errno)))") }
    var offset = 0
    while offset < input.count {
      let written = write(fd, input.baseAddress! + offset, input.count - offset)
      if written < 0, errno == EINTR { continue }
      guard written > 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        throw SystemError("cannot fill the filter's input: \(reason)")
      }
      offset += written
    }
    guard lseek(fd, 0, SEEK_SET) == 0 else {
      close(fd)
      throw SystemError("lseek on the filter's input failed")
    }
    return fd
  }
}

/// The spawned filter until it is reaped: killing reaches its whole process group (what a
/// script starts in turn goes too), and only before the reaping, while its pid is ours.
final class FilterChild {
  let pid: pid_t
  private(set) var termination: ChildProcess.Termination?

  init(pid: pid_t) { self.pid = pid }

  /// SIGKILL to the group, then waits for the child; nothing once it is reaped.
  func killAndReap() {
    guard termination == nil else { return }
    if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    termination = Self.decode(status)
  }

  /// Waits for the child to exit after it closed its output, checking `stop` at least
  /// every 50 ms. Its pidfd wakes the wait as it exits: the child closes its output a
  /// moment before it is gone, and a timed look (5 ms, before) left the worker's core idle
  /// that long once per chunk. Without a pidfd, waitpid is tried every millisecond.
  func reap(stop: StopFlag) throws -> ChildProcess.Termination {
    let exits = cdr_pidfd_open(pid)
    defer { if exits >= 0 { close(exits) } }
    while termination == nil {
      try stop.check()
      var status: Int32 = 0
      let done = waitpid(pid, &status, WNOHANG)
      if done == pid {
        termination = Self.decode(status)
      } else if done < 0, errno != EINTR {
        throw SystemError("waitpid failed: \(String(cString: strerror(errno)))")
      } else if exits >= 0 {
        var exited = pollfd(fd: exits, events: Int16(POLLIN), revents: 0)
        _ = poll(&exited, 1, FilterProcess.pollMilliseconds)
      } else {
        _ = poll(nil, 0, 1)
      }
    }
    return termination!
  }

  static func decode(_ status: Int32) -> ChildProcess.Termination {
    (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
  }
}

/// Reads a filter's standard output and error, both at once, until both end.
struct FilterReader {
  private var descriptors: [pollfd]
  private(set) var produced = 0
  private(set) var errorTail: [UInt8] = []

  init(output: Int32, error: Int32) {
    descriptors = [
      pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: error, events: Int16(POLLIN), revents: 0),
    ]
  }

  /// Reads until both pipes end; true when the output did not fit (reading stops there).
  mutating func readToEnd(into output: UnsafeMutableRawBufferPointer, stop: StopFlag) throws -> Bool {
    var scratch = [UInt8](repeating: 0, count: 16 << 10)
    while descriptors.contains(where: { $0.fd >= 0 }) {
      try stop.check()
      let ready = poll(&descriptors, nfds_t(descriptors.count), FilterProcess.pollMilliseconds)
      if ready < 0, errno == EINTR { continue }
      guard ready >= 0 else { throw SystemError("poll failed: \(String(cString: strerror(errno)))") }
      if descriptors[0].revents != 0 {
        if produced == output.count {
          // Full: one more byte means too much output.
          let extra = try scratch.withUnsafeMutableBytes { try readSome(0, into: .init(rebasing: $0[..<1])) }
          if extra > 0 { return true }
        } else {
          produced += try readSome(0, into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
        }
      }
      if descriptors[1].revents != 0 {
        let count = try scratch.withUnsafeMutableBytes { try readSome(1, into: $0) }
        errorTail += scratch[..<count]
        if errorTail.count > FilterProcess.errorLimit {
          errorTail.removeFirst(errorTail.count - FilterProcess.errorLimit)
        }
      }
    }
    return false
  }

  /// One read of pipe `index`; at its end the pipe leaves the poll set (0 bytes).
  private mutating func readSome(_ index: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = read(descriptors[index].fd, buffer.baseAddress, buffer.count)
    if count < 0, errno == EINTR || errno == EAGAIN { return 0 }
    guard count >= 0 else {
      throw SystemError("reading the filter's output failed: \(String(cString: strerror(errno)))")
    }
    if count == 0 { descriptors[index].fd = -1 }
    return count
  }
}
