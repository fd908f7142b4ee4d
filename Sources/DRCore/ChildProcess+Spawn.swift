import CDRSystem
import Foundation

/// The pipes of a child: our read ends, its write ends.
struct SpawnPipes {
  let outputRead: Int32
  let outputWrite: Int32
  let errorRead: Int32
  let errorWrite: Int32
  /// The child's standard input, when it reads one from us (else /dev/null).
  let inputRead: Int32?
  let inputWrite: Int32?

  init(withInput: Bool) throws {
    var fds: [Int32] = []
    func pipe() throws -> (Int32, Int32) {
      var pair: [Int32] = [0, 0]
      guard cdr_pipe_cloexec(&pair) == 0 else {
        let code = errno
        fds.forEach { close($0) }
        throw SystemError("pipe2 failed: errno \(code)")
      }
      fds += pair
      return (pair[0], pair[1])
    }
    (outputRead, outputWrite) = try pipe()
    (errorRead, errorWrite) = try pipe()
    if withInput {
      let input = try pipe()
      (inputRead, inputWrite) = (input.0, input.1)
      _ = cdr_set_pipe_size(input.1, 1 << 20)
    } else {
      (inputRead, inputWrite) = (nil, nil)
    }
    // A larger pipe means fewer wake-ups at high throughput; failure is harmless.
    _ = cdr_set_pipe_size(outputWrite, 1 << 20)
  }

  /// Closes the child's ends (it has its copies now), and ours too when it never started.
  func closeChildEnds(spawned: Bool) {
    close(outputWrite)
    close(errorWrite)
    if let inputRead { close(inputRead) }
    guard !spawned else { return }
    close(outputRead)
    close(errorRead)
    if let inputWrite { close(inputWrite) }
  }
}

/// The one place dr starts processes: `posix_spawn`, with no descriptor but 0-2
/// inherited, no blocked signal (threads of Swift's pool block most, and a child inheriting
/// that ignores SIGTERM), default handlers for the signals dr traps, and a process group of
/// its own (so teardown reaches what it starts in turn). `ChildProcess` runs children whose
/// output dr reads; `Daemon` starts processes that outlive dr, in a session of their own.
enum Spawn {
  /// Where a new process's standard streams go.
  enum Streams {
    /// Standard input from the input pipe (or /dev/null), output and error to the pipes.
    case pipes(SpawnPipes)
    /// Standard input from /dev/null, output and error appended to a log file.
    case log(String)
    /// Standard input from /dev/null, output and error to the pipes, and the descriptors
    /// given as the child's 3, 4, ... (it opens them as `/dev/fd/3`, ...). They must all be
    /// at or above `closeFrom`, so that no copy lands on one not yet copied.
    case numbered([Int32], SpawnPipes)

    var pipes: SpawnPipes? {
      switch self {
      case .pipes(let pipes), .numbered(_, let pipes): pipes
      case .log: nil
      }
    }

    /// The first descriptor the child does not inherit.
    var closeFrom: Int32 {
      if case .numbered(let descriptors, _) = self { return 3 + Int32(descriptors.count) }
      return 3
    }
  }

  /// Starts `executable`; with `detached`, in a new session (it outlives dr's terminal).
  /// The pipes' child ends are closed here once the child has them.
  static func start(
    _ executable: String, _ arguments: [String], environment: [String: String]?, directory: String?,
    streams: Streams, detached: Bool = false
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    switch streams {
    case .pipes(let pipes):
      if let input = pipes.inputRead {
        posix_spawn_file_actions_adddup2(&actions, input, 0)
      } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      }
      posix_spawn_file_actions_adddup2(&actions, pipes.outputWrite, 1)
      posix_spawn_file_actions_adddup2(&actions, pipes.errorWrite, 2)
    case .log(let path):
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o640)
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
    case .numbered(let descriptors, let pipes):
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_adddup2(&actions, pipes.outputWrite, 1)
      posix_spawn_file_actions_adddup2(&actions, pipes.errorWrite, 2)
      for (index, descriptor) in descriptors.enumerated() {
        precondition(descriptor >= streams.closeFrom, "a numbered descriptor below \(streams.closeFrom)")
        posix_spawn_file_actions_adddup2(&actions, descriptor, 3 + Int32(index))
      }
    }
    cdr_spawn_close_from(&actions, streams.closeFrom)
    if let directory { cdr_spawn_chdir(&actions, directory) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    if detached { cdr_spawn_daemon_attributes(&attributes) } else { cdr_spawn_attributes(&attributes) }
    let argv = [executable] + arguments
    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    var pid: pid_t = 0
    // ETXTBSY: the program is open for writing somewhere at this moment, typically a script
    // just written, whose descriptor a process forked meanwhile by another thread still
    // holds until its own exec. It passes within milliseconds; a few bounded tries (at
    // most about 0.2 s in all) ride it out.
    var status: Int32 = ETXTBSY
    for attempt in 0..<8 where status == ETXTBSY {
      if attempt > 0 { usleep(useconds_t(2_000 << min(attempt, 4))) }
      status = withCStringArray(argv) { argvPointer in
        withCStringArray(env) { envPointer in
          posix_spawn(&pid, executable, &actions, &attributes, argvPointer, envPointer)
        }
      }
    }
    streams.pipes?.closeChildEnds(spawned: status == 0)
    guard status == 0 else { throw SystemError("cannot start \(executable): \(String(cString: strerror(status)))") }
    return pid
  }

  static func withCStringArray<Result>(
    _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
  ) -> Result {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { copies.forEach { free($0) } }
    return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
  }
}

/// Drains a child's standard error on a thread of its own, keeping the last 64 KiB.
final class StderrCollector: @unchecked Sendable {
  private var bytes: [UInt8] = []
  private var ended = false
  private let lock = NSLock()
  private static let limit = 64 << 10

  /// `lines`, when given, sees each line as it arrives (a progress count), on the
  /// collector's thread.
  init(fd: Int32, lines: (@Sendable (Substring) -> Void)? = nil) {
    let thread = Thread { [self] in
      defer {
        close(fd)
        lock.withLock { ended = true }
      }
      var buffer = [UInt8](repeating: 0, count: 16 << 10)
      var partial: [UInt8] = []
      while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return }
        lock.withLock {
          bytes += buffer[0..<count]
          if bytes.count > Self.limit { bytes.removeFirst(bytes.count - Self.limit) }
        }
        if let lines { Self.split(buffer[0..<count], carrying: &partial, into: lines) }
      }
    }
    thread.name = "dr-child-stderr"
    thread.start()
  }

  /// Hands whole lines to `lines`, keeping an unfinished one (at most 64 KiB) for the next read.
  static func split(
    _ chunk: ArraySlice<UInt8>, carrying partial: inout [UInt8], into lines: (Substring) -> Void
  ) {
    partial += chunk
    while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
      lines(Substring(String(decoding: partial[..<newline], as: UTF8.self)))
      partial.removeSubrange(...newline)
    }
    if partial.count > limit { partial.removeAll() }
  }

  var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

  /// Waits (at most `limit`) until the pipe reached its end, so the text is complete; a
  /// grandchild that keeps the pipe open cannot hold the caller.
  func waitForEnd(limit: Duration = .seconds(2)) async {
    let deadline = ContinuousClock.now + limit
    while !lock.withLock({ ended }), ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(5))
    }
  }
}

/// Reaps the child on a thread of its own and lets any number of tasks wait for it.
final class ExitWaiter: @unchecked Sendable {
  private var termination: ChildProcess.Termination?
  private var waiters: [CheckedContinuation<ChildProcess.Termination, Never>] = []
  private let lock = NSLock()

  var result: ChildProcess.Termination? { lock.withLock { termination } }

  func watch(_ pid: pid_t) {
    let thread = Thread { [self] in
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0, errno == EINTR {}
      let done: ChildProcess.Termination =
        (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
      let waiting = lock.withLock {
        termination = done
        defer { waiters = [] }
        return waiters
      }
      for waiter in waiting { waiter.resume(returning: done) }
    }
    thread.name = "dr-child-wait"
    thread.start()
  }

  func wait() async -> ChildProcess.Termination {
    await withCheckedContinuation { continuation in
      let done: ChildProcess.Termination? = lock.withLock {
        if let termination { return termination }
        waiters.append(continuation)
        return nil
      }
      if let done { continuation.resume(returning: done) }
    }
  }
}
