import DRWorker
import Foundation
import Testing

/// Catch-up on start, and the prune that follows a successful backup.
@Suite(.timeLimit(.minutes(3)))
struct SchedulerCatchUpTests {
  /// (age of the last success in seconds, nil for never; whether it runs at once), for
  /// an hourly job.
  @Test(arguments: [(nil, true), (7200, true), (3601, true), (3600, false), (1800, false)] as [(Double?, Bool)])
  func catchUpRunsOverdueJobsAtOnce(age: Double?, runsAtOnce: Bool) async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.verify, "0 * * * *")], start: start, lastSuccess: age.map { start.addingTimeInterval(-$0) },
      held: ["p/verify"])
    let task = await harness.start()
    #expect(harness.recorder.events == (runsAtOnce ? [.started("p/verify", start)] : []))
    harness.gate.release("p/verify")
    await harness.finish(task)
  }

  @Test func aJobWithoutScheduleIsNeverCaughtUp() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(jobs: [try job(.prune, nil)], start: start)
    let task = await harness.start()
    await harness.finish(task)
    #expect(harness.recorder.events.isEmpty)
  }

  @Test func pruneFollowsASuccessfulBackup() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(jobs: [try job(.backup, "0 */6 * * *"), try job(.prune, nil)], start: start)
    let task = await harness.start()
    let events = await harness.recorder.events(atLeast: 4)
    #expect(
      events == [
        .started("p/backup", start), .finished("p/backup", .succeeded(detail: "ok")),
        .started("p/prune", start), .finished("p/prune", .succeeded(detail: "ok")),
      ])
    await harness.finish(task)
  }

  @Test(arguments: [JobOutcome.failed(reason: "disk full"), .skipped(reason: "lease held elsewhere")])
  func noPruneAfterABackupThatDidNotSucceed(outcome: JobOutcome) async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.backup, "0 */6 * * *"), try job(.prune, nil)], start: start, outcomes: ["p/backup": outcome])
    let task = await harness.start()
    _ = await harness.recorder.events(atLeast: 2)
    await harness.finish(task)
    #expect(harness.recorder.events == [.started("p/backup", start), .finished("p/backup", outcome)])
  }

  @Test func pruneBelongsToTheBackupsPolicy() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let jobs = [try job(.backup, "0 */6 * * *", policy: "a"), try job(.prune, nil, policy: "b")]
    let harness = SchedulerHarness(jobs: jobs, start: start)
    let task = await harness.start()
    _ = await harness.recorder.events(atLeast: 2)
    await harness.finish(task)
    #expect(harness.recorder.events.map(\.description).filter { $0.contains("prune") }.isEmpty)
  }
}
