import DRWorker
import Foundation
import Testing

/// The scheduler fires jobs at their cron times and never overlaps runs of one job.
@Suite(.timeLimit(.minutes(3)))
struct SchedulerFiringTests {
  @Test func firesAtEachQuarterHour() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(jobs: [try job(.verify, "*/15 * * * *")], start: start, lastSuccess: start)
    let task = await harness.start()
    var expected: [Recorder.Event] = []
    for minute in [15, 30, 45] {
      let fire = try date("2024-03-01T10:\(minute):00Z")
      expected += [.started("p/verify", fire), .finished("p/verify", .succeeded(detail: "ok"))]
      #expect(await harness.advance(to: fire, expecting: expected.count) == expected)
    }
    await harness.finish(task)
    #expect(harness.recorder.events == expected)
  }

  @Test func nothingFiresBetweenTimes() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(jobs: [try job(.verify, "*/15 * * * *")], start: start, lastSuccess: start)
    let task = await harness.start()
    harness.clock.advance(to: try date("2024-03-01T10:14:59Z"))
    #expect(harness.clock.sleeperCount == 1)
    #expect(harness.recorder.events.isEmpty)
    await harness.finish(task)
    #expect(harness.recorder.events.isEmpty)
  }

  @Test func missedFiresCollapseIntoOne() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(jobs: [try job(.verify, "*/15 * * * *")], start: start, lastSuccess: start)
    let task = await harness.start()
    let late = try date("2024-03-01T11:40:00Z")
    let events = await harness.advance(to: late, expecting: 2)
    #expect(events == [.started("p/verify", late), .finished("p/verify", .succeeded(detail: "ok"))])
    let next = try date("2024-03-01T11:45:00Z")
    #expect(await harness.advance(to: next, expecting: 4).dropFirst(2).first == .started("p/verify", next))
    await harness.finish(task)
  }

  @Test func aJobStillRunningIsSkippedAndCounted() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.verify, "*/15 * * * *")], start: start, lastSuccess: start, held: ["p/verify"])
    let task = await harness.start()
    let first = try date("2024-03-01T10:15:00Z")
    let second = try date("2024-03-01T10:30:00Z")
    await harness.advance(to: first, expecting: 1)
    let events = await harness.advance(to: second, expecting: 2)
    #expect(events == [.started("p/verify", first), .skipped("p/verify", second)])
    #expect(await harness.scheduler.skipped == ["p/verify": 1])
    #expect(await harness.scheduler.runningJobs == ["p/verify"])
    harness.gate.release("p/verify")
    _ = await harness.recorder.events(atLeast: 3)
    let third = try date("2024-03-01T10:45:00Z")
    harness.gate.release("p/verify")
    #expect(await harness.advance(to: third, expecting: 5).last == .finished("p/verify", .succeeded(detail: "ok")))
    #expect(harness.recorder.events[3] == .started("p/verify", third))
    #expect(await harness.scheduler.skipped == ["p/verify": 1])
    await harness.finish(task)
  }

  @Test func jobsDueTogetherRunConcurrently() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let jobs = [try job(.verify, "0 * * * *"), try job(.check(environment: "failover"), "0 11 * * *")]
    let harness = SchedulerHarness(
      jobs: jobs, start: start, lastSuccess: start, held: ["p/verify", "p/check:failover"])
    let task = await harness.start()
    let eleven = try date("2024-03-01T11:00:00Z")
    let events = await harness.advance(to: eleven, expecting: 2)
    #expect(Set(events) == [.started("p/verify", eleven), .started("p/check:failover", eleven)])
    #expect(await harness.scheduler.runningJobs == ["p/check:failover", "p/verify"])
    harness.gate.release("p/verify")
    harness.gate.release("p/check:failover")
    await harness.finish(task)
    #expect(harness.recorder.events.count == 4)
  }
}
