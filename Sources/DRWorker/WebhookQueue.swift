/// The events waiting for delivery: first in, first out, bounded. When full, the oldest
/// event gives way to the newest, since the latest news about a policy matters most.
/// A value with no locking of its own; `WebhookInbox` guards it.
struct WebhookQueue: Sendable {
  enum PushResult: Equatable {
    case queued
    /// Queued, and the oldest event was dropped to make room.
    case queuedDroppingOldest(WorkerEvent)
    /// Not queued: the queue is closed for shutdown.
    case closed
  }

  let capacity: Int
  private var events: [WorkerEvent] = []
  private(set) var isClosed = false

  init(capacity: Int) {
    self.capacity = max(1, capacity)
  }

  mutating func push(_ event: WorkerEvent) -> PushResult {
    guard !isClosed else { return .closed }
    events.append(event)
    guard events.count > capacity else { return .queued }
    return .queuedDroppingOldest(events.removeFirst())
  }

  /// The oldest event, removed; nil when none waits.
  mutating func pop() -> WorkerEvent? {
    events.isEmpty ? nil : events.removeFirst()
  }

  /// No more events are taken; those queued may still be popped.
  mutating func close() {
    isClosed = true
  }

  /// Empties the queue, returning how many events it held.
  mutating func removeAll() -> Int {
    defer { events.removeAll() }
    return events.count
  }
}
