import DRWorker
import Foundation
import Testing

@Suite(.timeLimit(.minutes(3)))
struct ManualClockTests {
  let start = Date(timeIntervalSince1970: 1_700_000_000)

  @Test func timeMovesOnlyWhenAdvanced() {
    let clock = ManualClock(now: start)
    #expect(clock.now == start)
    clock.advance(by: 90)
    #expect(clock.now == start.addingTimeInterval(90))
    clock.advance(to: start)
    #expect(clock.now == start.addingTimeInterval(90))
  }

  @Test func advanceWakesOnlyTheSleepersDue() async throws {
    let clock = ManualClock(now: start)
    let sleepers = [30.0, 10, 20].map { offset in
      Task { try await clock.sleep(until: start.addingTimeInterval(offset)) }
    }
    await clock.waitForSleepers(3)
    clock.advance(by: 10)
    try await sleepers[1].value
    #expect(clock.sleeperCount == 2)
    clock.advance(by: 15)
    try await sleepers[2].value
    #expect(clock.sleeperCount == 1)
    clock.advance(by: 5)
    try await sleepers[0].value
    #expect(clock.sleeperCount == 0)
  }

  @Test func aPastDeadlineReturnsAtOnce() async throws {
    let clock = ManualClock(now: start)
    try await clock.sleep(until: start)
    try await clock.sleep(until: start.addingTimeInterval(-60))
    #expect(clock.sleeperCount == 0)
  }

  @Test func cancellingASleeperThrows() async {
    let clock = ManualClock(now: start)
    let sleeper = Task { try await clock.sleep(until: start.addingTimeInterval(60)) }
    await clock.waitForSleepers(1)
    sleeper.cancel()
    await #expect(throws: CancellationError.self) { try await sleeper.value }
    #expect(clock.sleeperCount == 0)
  }

  @Test func aCancelledTaskDoesNotSleep() async {
    let clock = ManualClock(now: start)
    let sleeper = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      try await clock.sleep(until: start.addingTimeInterval(60))
    }
    await #expect(throws: CancellationError.self) { try await sleeper.value }
    #expect(clock.sleeperCount == 0)
  }

  @Test func waitingForSleepersAlreadyParkedReturnsAtOnce() async {
    let clock = ManualClock(now: start)
    await clock.waitForSleepers(0)
    let sleeper = Task { try await clock.sleep(until: start.addingTimeInterval(60)) }
    await clock.waitForSleepers(1)
    await clock.waitForSleepers(1)
    clock.advance(by: 60)
    await #expect(throws: Never.self) { try await sleeper.value }
  }
}

/// The real clock, only where it needs no real waiting.
struct SystemClockTests {
  @Test func aPastDeadlineReturnsAtOnce() async throws {
    let clock = SystemClock()
    try await clock.sleep(until: clock.now.addingTimeInterval(-1))
  }

  @Test func aCancelledTaskDoesNotSleep() async {
    let sleeper = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      try await SystemClock().sleep(until: Date().addingTimeInterval(3600))
    }
    await #expect(throws: CancellationError.self) { try await sleeper.value }
  }
}
