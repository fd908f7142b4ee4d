import DRWorker
import Foundation
import Testing

/// Every run carries its nominal time (the cron time, without jitter): what two workers
/// both compute, so the bucket's lease names the same run on both.
@Suite(.timeLimit(.minutes(3)))
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

/// On a first start both are overdue: the verification waits for the backup it can check.
@Suite(.timeLimit(.minutes(3)))
struct SchedulerFollowUpTests {
  @Test func anOverdueVerificationWaitsForTheOverdueBackup() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.verify, "30 4 * * *"), try job(.backup, "0 */6 * * *")], start: start)
    let task = await harness.start()
    let events = await harness.recorder.events(atLeast: 4)
    #expect(
      events == [
        .started("p/backup", start), .finished("p/backup", .succeeded(detail: "ok")),
        .started("p/verify", start), .finished("p/verify", .succeeded(detail: "ok")),
      ])
    #expect(harness.fires["p/verify"] == [try date("2024-03-01T04:30:00Z")])
    await harness.finish(task)
  }

  @Test func anOverdueVerificationAloneRunsAtOnce() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(jobs: [try job(.verify, "30 4 * * *")], start: start)
    let task = await harness.start()
    #expect(
      await harness.recorder.events(atLeast: 2) == [
        .started("p/verify", start), .finished("p/verify", .succeeded(detail: "ok")),
      ])
    await harness.finish(task)
  }
}

/// Copies follow what they copy: a backup (after its prune) and a verification.
@Suite(.timeLimit(.minutes(3)))
struct SchedulerCopyTests {
  @Test func aSuccessfulBackupIsPrunedThenCopied() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.backup, "0 */6 * * *"), try job(.prune, nil), try job(.copy, nil)], start: start)
    let task = await harness.start()
    let events = await harness.recorder.events(atLeast: 6)
    #expect(
      events.compactMap { if case .started(let name, _) = $0 { name } else { nil } } == [
        "p/backup", "p/prune", "p/copy",
      ])
    await harness.finish(task)
  }

  @Test func aFailedVerificationIsNotCopied() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.verify, "30 4 * * *"), try job(.copy, nil)], start: start,
      outcomes: ["p/verify": .failed(reason: "row counts")])
    let task = await harness.start()
    _ = await harness.recorder.events(atLeast: 2)
    await harness.finish(task)
    #expect(harness.fires["p/copy"].isEmpty)
  }
}
