import CDRSystem
import Foundation

/// A filter program started once for a series of inputs, where a run per input would pay
/// a process start and a fresh working memory each time. Each input comes through a pipe
/// of its own, which the program opens by name (`/dev/fd/3`, `/dev/fd/4`, ... in its
/// arguments); it writes each input's output on standard output in turn, each followed by
/// a delimiter the caller knows (lbzip2, given `/dev/null` after each input, writes an
/// empty stream there). What follows a delimiter is kept for the next exchange.
///
/// It blocks the calling thread (a worker thread of its own, never Swift's cooperative
/// pool) and belongs to that thread. While an input is written, standard output and error
/// are read with `poll`, so neither side waits on the other, and `stop` is checked at
/// least every 50 ms. A stop, a failure, an output larger than its buffer and deinit kill
/// the child's process group and reap the child: no child outlives its session.
public final class FilterSession {
  /// How a child's output ended.
  public struct Outcome: Sendable {
    public let termination: ChildProcess.Termination
    /// Bytes of standard output counted (in the buffer, or after the last delimiter).
    public let outputCount: Int
    /// The output did not fit the buffer: the child was killed.
    public let overflowed: Bool
    /// The last 4 KiB the child wrote on standard error.
    public let standardError: String
  }

  static let pollMilliseconds: Int32 = 50
  static let errorLimit = 4 << 10

  /// How one exchange ended.
  public enum Exchange: Sendable {
    /// The delimiter came after `count` bytes of output, at the start of the buffer.
    case delimited(count: Int)
    /// Standard output ended, or filled the buffer, before the delimiter came; the child
    /// is reaped (killed first when it overflowed).
    case ended(Outcome)
  }

  /// Inputs the program was started with.
  public let capacity: Int
  /// Inputs not yet sent.
  public var remaining: Int { capacity - sent }
  /// The last 4 KiB the child wrote on standard error so far.
  public var standardError: String { String(decoding: errorTail, as: UTF8.self) }

  private let child: FilterChild
  /// Our write ends of the input pipes; -1 once closed.
  private var inputs: [Int32]
  private var pipes: FilterPipes
  private var sent = 0
  /// Output that came after the last delimiter: the start of the next input's.
  private var carry: [UInt8] = []
  private var errorTail: [UInt8] = []
  private var spliceRefused = false

  /// Starts `executable` with `arguments(paths)`, where `paths` name its `inputs` input
  /// pipes in order. Throws `SystemError` when the pipes or the spawn fail.
  public init(
    _ executable: String, inputs count: Int, environment: [String: String]? = nil,
    arguments: ([String]) -> [String]
  ) throws {
    precondition(count > 0, "a filter session needs at least one input")
    ChildProcess.ignoreBrokenPipes
    let ends = try InputPipes(count: count)
    defer { ends.theirs.forEach { close($0) } }
    let spawnPipes: SpawnPipes
    let pid: pid_t
    do {
      spawnPipes = try SpawnPipes(withInput: false)
      let paths = (0..<count).map { "/dev/fd/\(3 + $0)" }
      pid = try Spawn.start(
        executable, arguments(paths), environment: environment, directory: nil,
        streams: .numbered(ends.theirs, spawnPipes))
    } catch {
      ends.ours.forEach { close($0) }
      throw error
    }
    capacity = count
    inputs = ends.ours
    child = FilterChild(pid: pid)
    pipes = FilterPipes(output: spawnPipes.outputRead, error: spawnPipes.errorRead)
  }

  // Killed before its pipes close: a child writing meanwhile would otherwise die of
  // SIGPIPE first, and report that.
  deinit {
    child.killAndReap()
    for index in inputs.indices { closeInput(index) }
    pipes.closeAll()
  }

  /// Sends `input` as the next input and reads the output into `buffer` until `delimiter`
  /// comes after at least `least` bytes (an input's own output may look like it: lbzip2's
  /// for an empty chunk is the empty stream). Throws `CancellationError` once `stop` is
  /// set and `SystemError` when a pipe fails; the child is killed and reaped before either
  /// is thrown.
  public func exchange(
    _ input: UnsafeRawBufferPointer, delimiter: [UInt8], after least: Int = 0,
    into buffer: UnsafeMutableRawBufferPointer, stop: StopFlag
  ) throws -> Exchange {
    precondition(remaining > 0 && !delimiter.isEmpty, "an exchange past the session's inputs")
    let slot = sent
    sent += 1
    do {
      return try exchange(input, on: slot, delimiter: delimiter, after: least, into: buffer, stop: stop)
    } catch {
      end()
      throw error
    }
  }

  /// Closes the inputs not sent (the program reads them as empty), reads the rest of the
  /// output (its count is the outcome's `outputCount`) and error, and reaps the child.
  public func finish(stop: StopFlag) throws -> Outcome {
    do {
      for index in inputs.indices { closeInput(index) }
      sent = capacity
      var extra = carry.count
      carry = []
      var discard = [UInt8](repeating: 0, count: 64 << 10)
      while pipes.isOpen {
        try stop.check()
        try discard.withUnsafeMutableBytes { scratch in
          try pipes.wait()
          extra += try pipes.readOutput(into: scratch)
          try pipes.readError(into: &errorTail)
        }
      }
      return Outcome(
        termination: try child.reap(stop: stop), outputCount: extra, overflowed: false,
        standardError: standardError)
    } catch {
      end()
      throw error
    }
  }

  private func exchange(
    _ input: UnsafeRawBufferPointer, on slot: Int, delimiter: [UInt8], after least: Int,
    into buffer: UnsafeMutableRawBufferPointer, stop: StopFlag
  ) throws -> Exchange {
    guard carry.count <= buffer.count else { return overflowed(buffer.count) }
    if !carry.isEmpty {
      carry.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }
    var produced = carry.count
    carry = []
    var written = 0
    var searched = 0
    _ = cdr_set_pipe_size(inputs[slot], 1 << 20)
    while true {
      if written == input.count { closeInput(slot) }
      let from = max(least, searched - delimiter.count + 1)
      if from < produced, let at = Self.find(delimiter, in: UnsafeRawBufferPointer(buffer), range: from..<produced) {
        carry = Array(UnsafeRawBufferPointer(rebasing: buffer[(at + delimiter.count)..<produced]))
        closeInput(slot)
        return .delimited(count: at)
      }
      searched = produced
      if !pipes.outputOpen { return .ended(try ended(produced, closing: slot, stop: stop)) }
      if produced == buffer.count { return overflowed(produced) }
      try stop.check()
      if try pipes.wait(writing: inputs[slot]) { written += try send(input, from: written, on: slot) }
      produced += try pipes.readOutput(into: UnsafeMutableRawBufferPointer(rebasing: buffer[produced...]))
      try pipes.readError(into: &errorTail)
    }
  }

  /// One write of what is left of `input`; a child that closed its end gets no more.
  /// The bytes are handed to the pipe by reference (`vmsplice`), so the child copies them
  /// straight from `input`, which stays as it is until the exchange returns: by then the
  /// child read them all (it wrote the delimiter after their end) or is killed. A kernel
  /// that refuses `vmsplice` gets a copy (`write`).
  private func send(_ input: UnsafeRawBufferPointer, from offset: Int, on slot: Int) throws -> Int {
    let start = input.baseAddress! + offset
    var count = spliceRefused ? -1 : cdr_vmsplice(inputs[slot], start, input.count - offset)
    if count < 0, spliceRefused || errno == EINVAL || errno == ENOSYS {
      spliceRefused = true
      count = write(inputs[slot], start, input.count - offset)
    }
    if count >= 0 { return count }
    switch errno {
    case EINTR, EAGAIN: return 0
    case EPIPE:
      closeInput(slot)
      return 0
    default: throw SystemError(failed: "writing the filter's input")
    }
  }

  /// Standard output ended: reads standard error to its end and reaps the child.
  private func ended(_ produced: Int, closing slot: Int, stop: StopFlag) throws -> Outcome {
    closeInput(slot)
    while pipes.errorOpen {
      try stop.check()
      try pipes.wait()
      try pipes.readError(into: &errorTail)
    }
    let termination = try child.reap(stop: stop)
    sent = capacity
    return Outcome(
      termination: termination, outputCount: produced, overflowed: false, standardError: standardError)
  }

  private func overflowed(_ produced: Int) -> Exchange {
    end()
    return .ended(
      Outcome(
        termination: child.termination ?? .signaled(SIGKILL), outputCount: produced, overflowed: true,
        standardError: standardError))
  }

  /// Kills and reaps the child, then closes every pipe: nothing more can be sent.
  private func end() {
    sent = capacity
    child.killAndReap()
    for index in inputs.indices { closeInput(index) }
    pipes.closeAll()
  }

  private func closeInput(_ index: Int) {
    guard inputs[index] >= 0 else { return }
    close(inputs[index])
    inputs[index] = -1
  }

  /// Where `delimiter` first starts in `buffer[range]`, or nil.
  static func find(_ delimiter: [UInt8], in buffer: UnsafeRawBufferPointer, range: Range<Int>) -> Int? {
    guard range.count >= delimiter.count else { return nil }
    return delimiter.withUnsafeBytes { needle -> Int? in
      let start = buffer.baseAddress! + range.lowerBound
      guard let hit = memmem(start, range.count, needle.baseAddress!, needle.count) else { return nil }
      return range.lowerBound + start.distance(to: UnsafeRawPointer(hit))
    }
  }
}

/// The input pipes of a session: our write ends (non-blocking), and the child's read ends
/// moved to descriptors at or above 3 + count, as `Spawn`'s numbered descriptors must be.
private struct InputPipes {
  var ours: [Int32] = []
  var theirs: [Int32] = []

  init(count: Int) throws {
    do {
      for _ in 0..<count {
        var pair: [Int32] = [0, 0]
        guard cdr_pipe_cloexec(&pair) == 0 else { throw SystemError(failed: "pipe2") }
        ours.append(pair[1])
        let moved = fcntl(pair[0], F_DUPFD_CLOEXEC, 3 + Int32(count))
        // Read errno before close can change it.
        let failure = moved < 0 ? SystemError(failed: "fcntl(F_DUPFD_CLOEXEC)") : nil
        close(pair[0])
        if let failure { throw failure }
        theirs.append(moved)
        guard fcntl(pair[1], F_SETFL, fcntl(pair[1], F_GETFL) | O_NONBLOCK) == 0 else {
          throw SystemError(failed: "fcntl(O_NONBLOCK)")
        }
      }
    } catch {
      (ours + theirs).forEach { close($0) }
      throw error
    }
  }
}
