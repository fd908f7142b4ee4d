import DRCore
import DRTestSupport
import Foundation
import Logging
import Testing

@testable import DRRestore

/// What a killed dr left is removed; what a running dr uses, and what is not dr's, is not.
struct ScratchReaperTests {
  @Test(arguments: [
    ("dr-scratch-123.456-aBc123", ProcessIdentity(pid: 123, startTime: 456)),
    ("dr-restore-77.9-20261125T200000Z-7f3a-1234.pgc", ProcessIdentity(pid: 77, startTime: 9)),
    ("dr-sock-5.6-aBc123", ProcessIdentity(pid: 5, startTime: 6)),
    ("dr-scratch-aBc123", nil),
    ("dr-scratch-pg-6F1E", nil),
    ("dr-scratch-0.5-x", nil),
    ("dr-scratch--x", nil),
    ("dr-scratch-1.2.3-x", nil),
    ("dr-restore-latest.pgc", nil),
    ("dr-restore-20261125T200000Z-7f3a-99.pgc", nil),
    ("other-1.2-x", nil),
  ])
  func ownersAreReadFromNames(_ name: String, _ owner: ProcessIdentity?) {
    #expect(ScratchReaper.owner(of: name) == owner)
  }

  @Test func aProcessIsRunningOnlyWithItsOwnStartTime() async throws {
    let current = ProcessIdentity.current
    #expect(current.pid == getpid())
    #expect(current.isRunning)
    #expect(ProcessIdentity("\(current)") == current)
    #expect(!ProcessIdentity(pid: current.pid, startTime: current.startTime + 1).isRunning, "a reused pid")
    let child = try ChildProcess("/bin/sleep", ["30"])
    let identity = ProcessIdentity(pid: child.pid, startTime: try #require(ProcessIdentity.startTime(of: child.pid)))
    #expect(identity.isRunning)
    kill(child.pid, SIGKILL)
    _ = await child.wait()
    #expect(!identity.isRunning)
  }

  @Test func onlyWhatADeadDrLeftIsRemoved() async throws {
    let directory = TemporaryDirectory.unique("dr-reaper")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let live = ProcessIdentity.current
    let dead = ProcessIdentity(pid: live.pid, startTime: live.startTime + 1)
    let deadCluster = "dr-scratch-\(dead)-Xy12Z"
    let kept = [
      "dr-scratch-\(live)-AbCdEf", "dr-restore-\(live)-20261125T200000Z-7f3a-1.pgc", "dr-scratch-Q1w2E3",
      "dr-restore-latest.pgc", "unrelated-\(dead)-x",
    ]
    let removed = [deadCluster, "dr-restore-\(dead)-20261125T200000Z-7f3a-2.pgc"]
    for name in kept + removed {
      if name.hasSuffix(".pgc") || name.hasPrefix("unrelated") {
        #expect(FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data("dump".utf8)))
      } else {
        try FileManager.default.createDirectory(atPath: "\(directory)/\(name)/data", withIntermediateDirectories: true)
      }
    }
    // The dead cluster's postmaster.pid names a live process that is not its server (this
    // test): it must not be signalled.
    try "\(getpid())\n\(directory)/\(deadCluster)/data\n".write(
      toFile: "\(directory)/\(deadCluster)/data/postmaster.pid", atomically: true, encoding: .utf8)
    let reaped = await ScratchReaper(logger: Logger(label: "test")).reap(temporaryDirectory: directory)
    // The reaper also sweeps /tmp's dr-sock-* of dead drs, which other tests may leave for
    // a moment: only what it did here is this test's business.
    let reapedHere = reaped.filter { $0.hasPrefix(directory + "/") }
    #expect(Set(reapedHere) == Set(removed.map { "\(directory)/\($0)" }))
    let left = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(Set(left) == Set(kept))
  }

  @Test func onlyScratchDatabasesOfThisHostNameTheirOwner() {
    let host = ScratchReaper.hostName
    #expect(!host.isEmpty)
    let comment = ScratchReaper.scratchComment
    #expect(ScratchReaper.owner(fromComment: comment) == ProcessIdentity.current)
    #expect(ScratchReaper.owner(fromComment: "dr verify scratch; host=\(host)x; owner=12.34") == nil)
    #expect(
      ScratchReaper.owner(fromComment: "dr verify scratch; host=\(host); owner=12.34")
        == ProcessIdentity(pid: 12, startTime: 34))
    #expect(ScratchReaper.owner(fromComment: "a database of the application") == nil)
    #expect(ScratchReaper.owner(fromComment: "dr verify scratch; host=\(host)") == nil)
  }
}
