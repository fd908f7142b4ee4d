import Foundation
import Synchronization

/// A child process with its standard output streamed and its standard error collected.
///
/// Both pipes are drained by threads of their own, concurrently, so a child that writes a
/// lot to one of them never stalls on the other. Standard output arrives through a
/// bounded `ByteQueue` (back-pressure); standard error is kept up to its last 64 KiB.
/// Teardown is a sequence: SIGTERM, a grace period, SIGKILL.
public final class ChildProcess: @unchecked Sendable {
  public enum Termination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
      switch self {
      case .exited(let code): "exit status \(code)"
      case .signaled(let signal): "killed by signal \(signal)"
      }
    }
  }

  public let pid: pid_t
  public let executable: String
  /// Standard output, in new buffers of up to `readSize` bytes, or with a `recycler` in its
  /// buffers (of its size), which the consumer may give back.
  public let output: ByteQueue
  /// The child's standard input, when started with `input: true`: write, then `closeInput()`.
  public let input: FileDescriptorWriter?
  private let errorCollector: StderrCollector
  private let exited = ExitWaiter()

  /// Starts `executable` with `arguments` (in `directory` when given); standard input is
  /// /dev/null. The child gets no blocked signals whatever thread starts it (threads of
  /// Swift's pool block most signals, and a child inheriting that ignores SIGTERM).
  public init(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
    input: Bool = false, readSize: Int = 1 << 20, recycler: BufferRecycler? = nil, outputCapacity: Int = 4 << 20,
    standardErrorLines: (@Sendable (Substring) -> Void)? = nil
  ) throws {
    ChildProcess.ignoreBrokenPipes
    let pipes = try SpawnPipes(withInput: input)
    self.executable = executable
    pid = try Spawn.start(
      executable, arguments, environment: environment, directory: directory, streams: .pipes(pipes))
    output = ByteQueue(capacity: outputCapacity)
    errorCollector = StderrCollector(fd: pipes.errorRead, lines: standardErrorLines)
    self.input = pipes.inputWrite.map { FileDescriptorWriter(fd: $0) }
    FileDescriptorReader.start(
      fd: pipes.outputRead, into: output, recycler: recycler ?? BufferRecycler(size: readSize, limit: 0))
    exited.watch(pid)
  }

  /// What the child wrote on standard error so far (its last 64 KiB).
  public var standardError: String { errorCollector.text }

  deinit { closeInput() }

  /// Closes the child's standard input: it reads the end of its input.
  public func closeInput() {
    if let input, inputOpen.exchange(false, ordering: .acquiringAndReleasing) { close(input.fd) }
  }

  private let inputOpen = Atomic<Bool>(true)

  /// A child that exits while we write to it must give us EPIPE, not kill dr with SIGPIPE.
  static let ignoreBrokenPipes: Void = { _ = Glibc.signal(SIGPIPE, SIG_IGN) }()

  /// How the child ended, or nil while it runs.
  public var termination: Termination? { exited.result }

  /// Waits for the child to end and its standard error to be read to the end.
  public func wait() async -> Termination {
    let result = await exited.wait()
    await errorCollector.waitForEnd()
    return result
  }

  /// SIGTERM, then SIGKILL after `grace` if it is still running, to its process group (it
  /// leads one: what it started goes too); returns how it ended.
  @discardableResult
  public func terminate(grace: Duration = .seconds(5)) async -> Termination {
    output.cancel()
    closeInput()
    if let done = exited.result { return done }
    signal(SIGTERM)
    let waiter = Task { await exited.wait() }
    let killer = Task {
      try await Task.sleep(for: grace)
      signal(SIGKILL)
    }
    let result = await waiter.value
    killer.cancel()
    return result
  }
}

extension ChildProcess {
  /// `number` to the child's process group while the child is not reaped (after that its
  /// pid, and so its group's, may be another's).
  func signal(_ number: Int32) {
    guard exited.result == nil else { return }
    if kill(-pid, number) != 0 { kill(pid, number) }
  }
}

/// A failure of the operating system's side of things: starting a process, reading or
/// writing a descriptor.
public struct SystemError: DRError {
  public let message: String
  public init(_ message: String) { self.message = message }
  /// "`call` failed: " and what errno says now.
  init(failed call: String) { self.init("\(call) failed: \(String(cString: strerror(errno)))") }
  public var exitStatus: ExitStatus { .failure }
  public var errorCode: String { "system" }
  public var description: String { message.redacted }
}
