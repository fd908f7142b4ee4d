import DRCore
import Foundation
import Synchronization
import Testing

/// `ChildProcess.run`: whatever way its body leaves, the child and what it started are gone.
struct ChildProcessScopeTests {
  struct Failed: Error {}

  /// The pid of the grandchild a shell started in the background and wrote to `file`
  /// (standard output comes in large buffers, at its end for a quiet child).
  static func grandchild(in file: String) async throws -> pid_t {
    for _ in 0..<200 {
      let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
      if text.hasSuffix("\n"), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
      try await Task.sleep(for: .milliseconds(25))
    }
    throw Failed()
  }

  static func gone(_ pid: pid_t) async -> Bool {
    for _ in 0..<100 {
      if kill(pid, 0) != 0 || ProcessIdentity.state(of: pid) == "Z" { return true }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return false
  }

  @Test func aBodyThatThrowsLeavesNoChildAndNoGrandchild() async throws {
    let pids = Mutex<(pid_t, pid_t)>((0, 0))
    let file = NSTemporaryDirectory() + "dr-grandchild-\(UUID().uuidString)"
    defer { unlink(file) }
    await #expect(throws: Failed.self) {
      try await ChildProcess.run("/bin/sh", ["-c", "sleep 100 & echo $! > '\(file)'; sleep 100"], grace: .seconds(2)) {
        child in
        let grandchild = try await Self.grandchild(in: file)
        pids.withLock { $0 = (child.pid, grandchild) }
        throw Failed()
      }
    }
    let (child, grandchild) = pids.withLock { $0 }
    #expect(child > 0 && grandchild > 0)
    #expect(await Self.gone(child), "the child is stopped")
    #expect(await Self.gone(grandchild), "what it started goes with its process group")
  }

  @Test func aBodyThatReturnsEarlyStillStopsTheChild() async throws {
    let pid = try await ChildProcess.run("/bin/sleep", ["100"]) { $0.pid }
    #expect(await Self.gone(pid))
  }

  @Test func aCancelledRunStopsItsChild() async throws {
    let started = Mutex<pid_t>(0)
    let task = Task {
      try await ChildProcess.run("/bin/sleep", ["100"]) { child in
        started.withLock { $0 = child.pid }
        return try await ProcessRunner.collect(child, grace: .seconds(2), whenCancelled: .throw)
      }
    }
    for _ in 0..<100 where started.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
    task.cancel()
    await #expect(throws: CancellationError.self) { _ = try await task.value }
    #expect(await Self.gone(started.withLock { $0 }))
  }

  @Test func aCancelledJobIsReportedWithHowItEnded() async throws {
    let task = Task {
      try await ProcessRunner.run("/bin/sh", ["-c", "echo begun; exec sleep 100"], whenCancelled: .report)
    }
    try await Task.sleep(for: .milliseconds(300))
    task.cancel()
    let output = try await task.value
    #expect(output.status == 128 + SIGTERM)
  }
}
