import DRCore
import Foundation
import Testing

/// One process for a series of inputs: each input goes through a pipe of its own, its
/// output is cut where the delimiter comes (even split across reads, even when the output
/// is megabytes read while the input is written), what follows a delimiter is the next
/// input's; the end of the output, an overflow, a stop and the session's end leave no
/// child behind.
struct FilterSessionTests {
  static let delimiter = Array("#END#".utf8)
  /// For each input: its bytes, the delimiter in two writes a moment apart, then "head:",
  /// which belongs to the next input's output (as lbzip2 writes the next header at once).
  static let script = "for f; do cat \"$f\"; printf '#EN'; sleep 0.1; printf 'D#head:'; done"

  static func letters(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(97 + $0 % 26) } }

  static func session(_ script: String, inputs: Int) throws -> FilterSession {
    try FilterSession("/bin/sh", inputs: inputs) { ["-c", script, "sh"] + $0 }
  }

  /// Sends `input` and returns the outcome with the output before the delimiter.
  static func send(_ session: FilterSession, _ input: [UInt8], room: Int = 4 << 20, stop: StopFlag = StopFlag())
    throws -> (FilterSession.Exchange, [UInt8])
  {
    var buffer = [UInt8](repeating: 0, count: room)
    let exchange = try input.withUnsafeBytes { input in
      try buffer.withUnsafeMutableBytes { try session.exchange(input, delimiter: delimiter, into: $0, stop: stop) }
    }
    switch exchange {
    case .delimited(let count): return (exchange, Array(buffer[..<count]))
    case .ended(let outcome): return (exchange, Array(buffer[..<min(outcome.outputCount, room)]))
    }
  }

  /// The pid a child wrote to `file`, waiting for it at most a minute (a loaded machine);
  /// -1 when none came.
  static func pid(in file: String) -> Int32 {
    for _ in 0..<6000 {
      let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
      if text.hasSuffix("\n"), let pid = Int32(text.dropLast()) { return pid }
      usleep(10_000)
    }
    return -1
  }

  /// True once `pid` is no process of ours (reaped, or never ours).
  static func gone(_ pid: Int32) -> Bool { kill(pid, 0) != 0 && errno == ESRCH }

  @Test func eachInputGetsItsOwnOutputFromOneProcess() async throws {
    let large = Self.letters(3 << 20)
    let outcome = try await runBlocking {
      let session = try Self.session(Self.script, inputs: 3)
      var outputs: [[UInt8]] = []
      for input in [[], large, Array("last".utf8)] {
        let (exchange, output) = try Self.send(session, input)
        guard case .delimited = exchange else { throw SystemError("no delimiter: \(exchange)") }
        outputs.append(output)
      }
      #expect(session.remaining == 0)
      return (outputs, try session.finish(stop: StopFlag()))
    }
    #expect(outcome.0[0] == [])
    #expect(outcome.0[1] == Array("head:".utf8) + large)
    #expect(outcome.0[2] == Array("head:last".utf8))
    #expect(outcome.1.termination == .exited(0))
    #expect(outcome.1.outputCount == 5)  // the last "head:"
    #expect(outcome.1.standardError == "")
  }

  @Test func finishingEarlyGivesTheInputsLeftAsEmpty() async throws {
    let outcome = try await runBlocking {
      let session = try Self.session("for f; do cat \"$f\"; printf '#END#'; done", inputs: 4)
      let (_, output) = try Self.send(session, Array("one".utf8))
      #expect(output == Array("one".utf8))
      return try session.finish(stop: StopFlag())
    }
    #expect(outcome.termination == .exited(0))
    #expect(outcome.outputCount == 3 * Self.delimiter.count)
  }

  @Test func outputEndingBeforeTheDelimiterReportsTheExit() async throws {
    let (exchange, output) = try await runBlocking {
      let session = try Self.session("printf partial; echo 'it broke' >&2; exit 3", inputs: 2)
      let sent = try Self.send(session, Self.letters(100_000))
      #expect(session.remaining == 0)
      return sent
    }
    guard case .ended(let outcome) = exchange else {
      Issue.record("expected the end of the output, got \(exchange)")
      return
    }
    #expect(outcome.termination == .exited(3))
    #expect(!outcome.overflowed)
    #expect(output == Array("partial".utf8))
    #expect(outcome.standardError == "it broke\n")
  }

  @Test func outputLargerThanTheBufferKillsTheChild() async throws {
    let exchange = try await runBlocking {
      let session = try Self.session("exec head -c 10000000 /dev/zero", inputs: 1)
      return try Self.send(session, [], room: 1000).0
    }
    guard case .ended(let outcome) = exchange else {
      Issue.record("expected an overflow, got \(exchange)")
      return
    }
    #expect(outcome.overflowed)
    #expect(outcome.outputCount == 1000)
    #expect(outcome.termination == .signaled(SIGKILL))
  }

  @Test func aStopKillsTheChildBeforeTheCallReturns() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dr-session-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let pidFile = directory.appendingPathComponent("pid").path
    let result = try await runBlocking { () -> Result<Int32, any Error> in
      let session = try Self.session("echo $$ > '\(pidFile)'; exec sleep 300", inputs: 2)
      let stop = StopFlag()
      DispatchQueue.global().async {
        _ = Self.pid(in: pidFile)
        stop.set()
      }
      let outcome = Result { try Self.send(session, Self.letters(10), stop: stop) }
      let pid = Self.pid(in: pidFile)
      #expect(pid > 0 && Self.gone(pid), "pid \(pid)")
      return outcome.map { _ in pid }
    }
    #expect(throws: CancellationError.self) { try result.get() }
  }

  @Test func theSessionsEndKillsItsChild() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dr-session-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let pidFile = directory.appendingPathComponent("pid").path
    let pid = try await runBlocking { () -> Int32 in
      var session: FilterSession? = try Self.session("echo $$ > '\(pidFile)'; exec cat \"$1\"", inputs: 1)
      let pid = Self.pid(in: pidFile)
      #expect(pid > 0 && !Self.gone(pid))
      #expect(session?.remaining == 1)
      session = nil
      return pid
    }
    #expect(Self.gone(pid))
  }
}
