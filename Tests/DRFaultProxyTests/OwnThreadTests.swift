import Foundation
import Testing

/// The suites of blocking socket tests really run off the cooperative pool.
@Suite(.ownThread)
struct OwnThreadTests {
  @Test func aSynchronousTestRunsOnItsOwnThread() {
    #expect(OwnThreadExecutor.isCurrent)
  }

  @Test func anAsynchronousTestResumesOnItsOwnThreadAfterAnAwait() async throws {
    try await Task.sleep(for: .milliseconds(10))
    #expect(Self.onOwnThread())
  }

  /// Read from synchronous code (`Thread.current` is unavailable in async contexts).
  static func onOwnThread() -> Bool { OwnThreadExecutor.isCurrent }
}

/// Without the trait, a test runs on the cooperative pool: the check above can fail.
struct PoolThreadTests {
  @Test func aTestWithoutTheTraitRunsOnThePool() {
    #expect(!OwnThreadExecutor.isCurrent)
  }
}
