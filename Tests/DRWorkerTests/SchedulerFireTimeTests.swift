import DRWorker
import Foundation
import Testing

/// Every run carries its nominal time (the cron time, without jitter): what two workers
/// both compute, so the bucket's lease names the same run on both.
@Suite(.timeLimit(.minutes(1)))
struct SchedulerFireTimeTests {
  @Test func aJitteredRunCarriesItsCronTime() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.verify, "*/15 * * * *")], start: start, lastSuccess: start,
      jitter: Jitter(maximumSeconds: 30) { _ in 20 })
    let task = await harness.start()
    await harness.advance(to: try date("2024-03-01T10:15:20Z"), expecting: 2)
    #expect(harness.fires["p/verify"] == [try date("2024-03-01T10:15:00Z")])
    await harness.finish(task)
  }

  @Test func aCatchUpRunCarriesTheLatestCronTimeAndPruneItsBackups() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(jobs: [try job(.backup, "0 */6 * * *"), try job(.prune, nil)], start: start)
    let task = await harness.start()
    _ = await harness.recorder.events(atLeast: 4)
    #expect(harness.fires["p/backup"] == [try date("2024-03-01T06:00:00Z")])
    #expect(harness.fires["p/prune"] == [try date("2024-03-01T06:00:00Z")])
    await harness.finish(task)
  }
}
