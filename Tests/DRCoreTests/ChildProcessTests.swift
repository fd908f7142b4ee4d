import DRCore
import Foundation
import Synchronization
import Testing

struct ChildProcessTests {
  func drain(_ child: ChildProcess) async throws -> Int {
    var total = 0
    while let bytes = try await child.output.next() { total += bytes.count }
    return total
  }

  @Test func streamsLargeOutputWhileStderrIsDrained() async throws {
    // 40 MiB on stdout and 1 MiB on stderr, interleaved: neither pipe may stall the other.
    let script = "for i in 1 2 3 4; do head -c 10485760 /dev/zero; head -c 262144 /dev/zero | tr '\\0' e >&2; done"
    let child = try ChildProcess("/bin/sh", ["-c", script])
    #expect(try await drain(child) == 40 * 1_048_576)
    #expect(await child.wait() == .exited(0))
    #expect(child.standardError.count == 64 * 1024)
    #expect(child.standardError.allSatisfy { $0 == "e" })
  }

  @Test func reportsExitStatusAndStderr() async throws {
    let child = try ChildProcess("/bin/sh", ["-c", "echo out; echo 'pg_dump: error: boom' >&2; exit 3"])
    #expect(try await drain(child) == 4)
    #expect(await child.wait() == .exited(3))
    #expect(child.standardError == "pg_dump: error: boom\n")
  }

  @Test func terminateSendsTermThenKill() async throws {
    let polite = try ChildProcess("/bin/sleep", ["100"])
    #expect(await polite.terminate(grace: .seconds(5)) == .signaled(SIGTERM))
    let stubborn = try ChildProcess("/bin/sh", ["-c", "trap '' TERM; exec sleep 100"])
    try await Task.sleep(for: .milliseconds(200))
    #expect(await stubborn.terminate(grace: .milliseconds(300)) == .signaled(SIGKILL))
  }

  /// A reader waiting for output when another task terminates the child is woken: it
  /// used to wait for ever (the child's last bytes never reached a cancelled queue).
  @Test func terminateWakesAReaderWaitingForOutput() async throws {
    let child = try ChildProcess("/bin/sh", ["-c", "echo started; exec sleep 100"], readSize: 1 << 16)
    let ended = Atomic<Bool>(false)
    let reader = Task {
      defer { ended.store(true, ordering: .releasing) }
      return try await drain(child)
    }
    try await Task.sleep(for: .milliseconds(200))
    await child.terminate(grace: .seconds(5))
    for _ in 0..<300 where !ended.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(100)) }
    let woken = ended.load(ordering: .acquiring)
    #expect(woken, "the reader still waits after the child was terminated")
    if woken {
      await #expect(throws: CancellationError.self) { try await reader.value }
    }
  }

  @Test func childInheritsOnlyStandardDescriptors() async throws {
    // Not close-on-exec, and above 3: `ls` lists its own directory handle, usually 3, so an
    // inherited descriptor that happened to be 3 would be indistinguishable from it.
    let opened = open("/etc/hostname", O_RDONLY)
    let file = fcntl(opened, F_DUPFD, 10)
    close(opened)
    defer { close(file) }
    #expect(file >= 10)
    let child = try ChildProcess("/bin/ls", ["/proc/self/fd"])
    var bytes: [UInt8] = []
    while let chunk = try await child.output.next() { bytes += chunk }
    let fds = String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
    #expect(!fds.contains(Int(file)))
    #expect(fds.filter { $0 > 3 }.isEmpty, "\(fds)")
  }

  @Test func missingExecutableFailsToStart() {
    #expect(throws: SystemError.self) { try ChildProcess("/nonexistent/pg_dump", []) }
  }

  @Test func slowConsumerHoldsTheChildBack() async throws {
    let child = try ChildProcess("/bin/sh", ["-c", "head -c 20971520 /dev/zero"], outputCapacity: 1 << 20)
    try await Task.sleep(for: .milliseconds(300))
    // The reader stopped at the queue's capacity, so the child is blocked writing its pipe.
    #expect(child.termination == nil)
    #expect(try await drain(child) == 20 * 1_048_576)
    #expect(await child.wait() == .exited(0))
  }
}
