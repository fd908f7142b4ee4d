import DRWorker
import Foundation
import Synchronization
import Testing

/// `stop()` is graceful; cancelling `run()` passes cancellation to running jobs.
@Suite(.timeLimit(.minutes(3)))
struct SchedulerStopTests {
  @Test func stopStartsNothingNewAndWaitsForRunningJobs() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.backup, "*/15 * * * *"), try job(.prune, nil)], start: start, held: ["p/backup"])
    let returned = Mutex(false)
    let scheduler = harness.scheduler
    let task = Task {
      await scheduler.run()
      returned.withLock { $0 = true }
    }
    await harness.clock.waitForSleepers(1)
    #expect(harness.recorder.events == [.started("p/backup", start)])
    await scheduler.stop()
    harness.clock.advance(to: try date("2024-03-01T11:00:00Z"))
    #expect(await scheduler.runningJobs == ["p/backup"])
    #expect(!returned.withLock { $0 })
    harness.gate.release("p/backup")
    await task.value
    #expect(returned.withLock { $0 })
    #expect(harness.recorder.events == [.started("p/backup", start), .finished("p/backup", .succeeded(detail: "ok"))])
    #expect(await scheduler.skipped.isEmpty)
  }

  @Test func runAfterStopReturnsAtOnce() async throws {
    let harness = SchedulerHarness(jobs: [try job(.verify, "* * * * *")], start: try date("2024-03-01T10:05:00Z"))
    await harness.scheduler.stop()
    await harness.scheduler.run()
    #expect(harness.recorder.events.isEmpty)
  }

  @Test func cancellingRunReachesRunningJobsAndStillWaitsForThem() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.backup, "*/15 * * * *"), try job(.prune, nil)], start: start, held: ["p/backup"])
    let task = await harness.start()
    task.cancel()
    await task.value
    #expect(
      harness.recorder.events == [
        .started("p/backup", start), .finished("p/backup", .failed(reason: "cancelled")),
      ])
    #expect(await harness.scheduler.runningJobs.isEmpty)
  }
}
