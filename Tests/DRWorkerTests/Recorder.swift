import DRWorker
import Foundation
import Synchronization

/// An observer that keeps every event and lets a test wait for the next ones without
/// polling: `events(atLeast:)` waits on a continuation.
final class Recorder: SchedulerObserver {
  enum Event: Hashable, CustomStringConvertible {
    case started(String, Date)
    case finished(String, JobOutcome)
    case skipped(String, Date)

    var description: String {
      switch self {
      case .started(let name, let date): "started \(name) at \(date)"
      case .finished(let name, let outcome): "finished \(name): \(outcome)"
      case .skipped(let name, let date): "skipped \(name) at \(date)"
      }
    }
  }

  private struct State {
    var events: [Event] = []
    var waiters: [(count: Int, continuation: CheckedContinuation<[Event], Never>)] = []
  }

  private let state = Mutex(State())

  var events: [Event] { state.withLock { $0.events } }

  /// The events so far, once there are at least `count`.
  func events(atLeast count: Int) async -> [Event] {
    await withCheckedContinuation { continuation in
      let ready = state.withLock { state -> [Event]? in
        guard state.events.count < count else { return state.events }
        state.waiters.append((count, continuation))
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  func jobStarted(_ job: Job, at date: Date) { record(.started(job.name, date)) }

  func jobFinished(_ job: Job, outcome: JobOutcome, startedAt: Date, finishedAt: Date) {
    record(.finished(job.name, outcome))
  }

  func jobSkipped(_ job: Job, reason: SkipReason, at date: Date) { record(.skipped(job.name, date)) }

  private func record(_ event: Event) {
    let ready = state.withLock { state in
      state.events.append(event)
      let count = state.events.count
      let ready = state.waiters.filter { $0.count <= count }.map { ($0.continuation, state.events) }
      state.waiters.removeAll { $0.count <= count }
      return ready
    }
    for (continuation, events) in ready { continuation.resume(returning: events) }
  }
}
