import DRWorker
import Foundation
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(3)))
struct JitterTests {
  /// A seeded SplitMix64, so the draws are the same on every run.
  static func seeded(_ seed: UInt64) -> Jitter.Source {
    let state = Mutex(seed)
    return { range in
      let value = state.withLock { state -> UInt64 in
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
      }
      return range.lowerBound + Int(value % UInt64(range.count))
    }
  }

  @Test func delaysStayWithinBounds() {
    let jitter = Jitter(maximumSeconds: 30, source: Self.seeded(42))
    let delays = (0..<1000).map { _ in jitter.delay() }
    #expect(delays.allSatisfy { (0...30).contains($0) })
    #expect(Set(delays).count > 20)
  }

  @Test(arguments: [-5, 31, 1000])
  func aCarelessSourceIsClamped(value: Int) {
    let delay = Jitter(maximumSeconds: 30, source: { _ in value }).delay()
    #expect((0...30).contains(delay))
  }

  @Test func zeroDisablesWithoutDrawing() {
    let drawn = Mutex(0)
    let jitter = Jitter(maximumSeconds: 0) { range in
      drawn.withLock { $0 += 1 }
      return range.upperBound
    }
    #expect(jitter.delay() == 0)
    #expect(Jitter.none.delay() == 0)
    #expect(drawn.withLock { $0 } == 0)
  }

  @Test func theDefaultIsThirtySeconds() {
    #expect(Jitter().maximumSeconds == 30)
  }

  @Test func theSchedulerFiresAfterTheJitter() async throws {
    let start = try date("2024-03-01T10:05:00Z")
    let harness = SchedulerHarness(
      jobs: [try job(.verify, "*/15 * * * *")], start: start, lastSuccess: start,
      jitter: Jitter(maximumSeconds: 30) { _ in 20 })
    let task = await harness.start()
    harness.clock.advance(to: try date("2024-03-01T10:15:19Z"))
    #expect(harness.clock.sleeperCount == 1)
    let fire = try date("2024-03-01T10:15:20Z")
    #expect(await harness.advance(to: fire, expecting: 1).first == .started("p/verify", fire))
    await harness.finish(task)
  }
}
