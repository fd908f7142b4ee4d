import DRWorker
import Synchronization

/// Holds the runs of chosen jobs until the test releases them, so a test decides when a
/// "slow" job ends. A release that comes before the run arrives is kept for it. A
/// cancelled run ends at once as failed("cancelled").
final class JobGate: Sendable {
  private struct State {
    var waiting: [String: [CheckedContinuation<JobOutcome, Never>]] = [:]
    var released: [String: [JobOutcome]] = [:]
  }

  private let state = Mutex(State())

  func run(_ job: Job) async -> JobOutcome {
    await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let outcome = state.withLock { state -> JobOutcome? in
          if let outcome = state.released[job.name]?.first {
            state.released[job.name]?.removeFirst()
            return outcome
          }
          state.waiting[job.name, default: []].append(continuation)
          return nil
        }
        if let outcome { continuation.resume(returning: outcome) }
      }
    } onCancel: {
      release(job.name, with: .failed(reason: "cancelled"))
    }
  }

  /// Ends the oldest held run of `name` with `outcome`, or the next one to arrive.
  func release(_ name: String, with outcome: JobOutcome = .succeeded(detail: "ok")) {
    let waiter = state.withLock { state -> CheckedContinuation<JobOutcome, Never>? in
      guard let first = state.waiting[name]?.first else {
        state.released[name, default: []].append(outcome)
        return nil
      }
      state.waiting[name]?.removeFirst()
      return first
    }
    waiter?.resume(returning: outcome)
  }
}
