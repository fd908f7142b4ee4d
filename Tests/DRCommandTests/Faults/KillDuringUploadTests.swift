import DRBackup
import DRCore
import DRTestSupport
import Foundation
import Testing

/// `kill -9` of dr while it uploads: nothing in dr can clean up, so the design has to
/// hold on its own. Nothing is listed (no manifest), and `dr prune` with a short grace
/// removes the incomplete backup, aborts the stale multipart upload and the abandoned
/// lease; the next backup succeeds.
@Suite(.scenarioGate)
struct KillDuringUploadTests {
  @Test func killMinus9MidUploadLeavesOnlyDebrisThatPruneRemoves() async throws {
    // The upload crawls: dr is surely mid-upload when killed.
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("kill9")
    defer { proxy.stop() }
    let dr = try fixture.start(["backup"])
    let pgDump = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
    #expect(try await eventually { try await fixture.bucketContents().uploads > 0 }, "no upload began")
    kill(dr.pid, SIGKILL)
    #expect(await dr.wait() == .signaled(SIGKILL))
    proxy.bandwidthLimit = nil
    // pg_dump's reader is gone: it ends on the broken pipe instead of dumping on.
    #expect(await eventually { !ProcessTree.isRunning(pgDump) }, "pg_dump outlived dr")

    // What the kill left: an incomplete backup (its globals), the dump's upload, the lease.
    let state = EndState(fixture)
    #expect(try await state.entries().isEmpty, "nothing is listed as restorable")
    let all = try await state.entries(all: true)
    #expect(all.count == 1 && all.first?["complete"] as? Bool == false, "\(all)")
    let debris = try await fixture.bucketContents()
    #expect(debris.uploads >= 1)
    #expect(debris.keys.contains(fixture.layout.lockKey))
    #expect(!debris.keys.contains { $0.hasSuffix("manifest.json") })

    try await Task.sleep(for: .milliseconds(1_100))
    let pruned = try await fixture.run(["prune", "--incomplete-grace", "1s"])
    #expect(pruned.status == 0, "\(pruned.combined)")
    let id = try #require(all.first?["id"] as? String)
    #expect(pruned.standardOutput.contains("delete \(id)"), "\(pruned.standardOutput)")
    #expect(pruned.standardOutput.contains("abort stale upload"), "\(pruned.standardOutput)")
    #expect(pruned.standardError.contains("removing the abandoned lease"), "\(pruned.standardError)")
    #expect(try await fixture.bucketContents().keys.isEmpty)
    var tally = FaultTally("kill -9 of dr mid-upload")
    tally.faults = 1
    try await state.check(tally)
    await fixture.remove()
  }
}
