import Foundation
import Testing

/// A task executor with one thread of its own: the jobs of a task that prefers it run
/// there, one after another, instead of on Swift's cooperative pool.
///
/// These suites talk to the proxy through blocking sockets (connect, send and receive with
/// timeouts of seconds, bandwidth-limited transfers). Run on the cooperative pool, which
/// has one thread per core (two here), two such tests at once stopped every other test's
/// async work in the process for as long as they blocked: in a loaded full run, other
/// suites' bounded waits ran out (60 s) while the work they waited for was done.
final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
  private let condition = NSCondition()
  /// Guarded by `condition`.
  private var jobs: [UnownedJob] = []
  private var finished = false

  init(name: String) {
    let thread = Thread { [self] in runJobs() }
    thread.name = name
    thread.stackSize = 1 << 20
    thread.start()
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    condition.lock()
    jobs.append(job)
    condition.signal()
    condition.unlock()
  }

  /// Lets the thread end once every job enqueued so far has run.
  func finish() {
    condition.lock()
    finished = true
    condition.signal()
    condition.unlock()
  }

  /// Set in the thread's dictionary: code can tell it runs there (on Linux a thread's
  /// name is its creator's until Foundation sets it, so names do not tell).
  static let marker = "dr.test.ownThread"

  /// Whether the caller runs on an `OwnThreadExecutor`'s thread.
  static var isCurrent: Bool { Thread.current.threadDictionary[marker] as? Bool == true }

  private func runJobs() {
    Thread.current.threadDictionary[Self.marker] = true
    // Bounded: ends after `finish()` once the queue is empty.
    while true {
      condition.lock()
      while jobs.isEmpty && !finished { condition.wait() }
      guard !jobs.isEmpty else {
        condition.unlock()
        return
      }
      let job = jobs.removeFirst()
      condition.unlock()
      job.runSynchronously(on: asUnownedTaskExecutor())
    }
  }
}

/// `@Suite(.ownThread)`: each test case of the suite runs on a thread of its own
/// (`OwnThreadExecutor`), so its blocking socket calls never hold the cooperative pool.
struct OwnThreadTrait: SuiteTrait, TestTrait, TestScoping {
  var isRecursive: Bool { true }

  /// Once per test case (not once for the whole suite).
  func scopeProvider(for test: Test, testCase: Test.Case?) -> OwnThreadTrait? {
    testCase == nil ? nil : self
  }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let executor = OwnThreadExecutor(name: "test-\(test.name)")
    defer { executor.finish() }
    try await withTaskExecutorPreference(executor) { try await function() }
  }
}

extension Trait where Self == OwnThreadTrait {
  static var ownThread: Self { Self() }
}
