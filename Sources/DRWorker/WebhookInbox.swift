import Synchronization

/// What `notify` and the delivery task share: the queue, the counters, and a doorbell
/// that wakes the task when an event arrives. `notify` only takes a lock here, never
/// awaits, so a job cannot be held up by its webhook.
final class WebhookInbox: Sendable {
  private struct State {
    var queue: WebhookQueue
    var counters = WebhookCounters()
  }

  private let state: Mutex<State>
  /// At most one pending ring: the task drains the whole queue each time it wakes.
  let rings: AsyncStream<Void>
  private let bell: AsyncStream<Void>.Continuation

  init(capacity: Int) {
    state = Mutex(State(queue: WebhookQueue(capacity: capacity)))
    (rings, bell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  /// Queues `event` and rings, under the lock, so a ring never gets ahead of its event
  /// nor behind `close()`.
  func push(_ event: WorkerEvent) -> WebhookQueue.PushResult {
    state.withLock { state in
      let result = state.queue.push(event)
      if result != .queued { state.counters.dropped += 1 }
      if result != .closed { bell.yield() }
      return result
    }
  }

  func pop() -> WorkerEvent? {
    state.withLock { $0.queue.pop() }
  }

  /// Takes no more events; the task drains what is queued, then its doorbell ends.
  func close() {
    state.withLock { state in
      state.queue.close()
      bell.finish()
    }
  }

  func record(_ outcome: WebhookDelivery.Outcome) {
    state.withLock { state in
      switch outcome {
      case .delivered: state.counters.delivered += 1
      case .failed: state.counters.failed += 1
      case .abandoned: state.counters.dropped += 1
      }
    }
  }

  /// Counts the events still queued as dropped and forgets them; how many there were.
  func dropRemaining() -> Int {
    state.withLock { state in
      let count = state.queue.removeAll()
      state.counters.dropped += count
      return count
    }
  }

  var counters: WebhookCounters { state.withLock { $0.counters } }
}
