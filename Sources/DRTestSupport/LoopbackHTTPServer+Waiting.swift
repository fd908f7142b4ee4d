import Foundation
import Synchronization

extension LoopbackHTTPServer {
  /// Waits until at least `count` requests have arrived; false if `timeout` passed first.
  /// For ordering tests ("the request is at the server now"), never for timing ones: the
  /// default timeout is a hang guard, generous because a loaded 2-core CI machine can
  /// starve a delivery task for many seconds.
  public func waitForRequests(_ count: Int, timeout: Duration = .seconds(120)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    // Bounded by the deadline.
    while requests.count < count {
      guard ContinuousClock.now < deadline else { return false }
      try? await Task.sleep(for: .milliseconds(5))
    }
    return true
  }

  /// Holds handlers until the test opens it, so a test controls when a response leaves:
  /// a handler calls `wait()` on the server's own connection thread (never on Swift's
  /// cooperative pool), and returns once `open()` is called, or after its timeout so a
  /// failing test cannot hang. Once open, it stays open.
  public final class Gate: Sendable {
    private let group = DispatchGroup()
    private let opened = Mutex(false)

    public init() {
      group.enter()
    }

    deinit { open() }

    public func open() {
      let first = opened.withLock { opened in
        defer { opened = true }
        return !opened
      }
      if first { group.leave() }
    }

    /// True when the gate was opened, false when `timeout` seconds passed first. The
    /// timeout only keeps a failing test from hanging: 10 s ran out on a loaded machine
    /// (other suites beside this one) and let a held response through mid-test.
    public func wait(timeout: Double = 60) -> Bool {
      group.wait(timeout: .now() + timeout) == .success
    }
  }
}
