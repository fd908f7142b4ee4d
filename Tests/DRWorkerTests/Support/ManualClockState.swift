import Foundation

/// The bookkeeping behind `ManualClock`, kept apart from the locking so each transition
/// is a plain mutating function. Transitions hand back the continuations to resume; the
/// clock resumes them after releasing its lock.
struct ManualClockState {
  /// A sleep from the moment it has an id until it is resumed.
  enum Sleeper {
    /// Registered, its continuation not yet stored.
    case arriving
    /// Cancelled while arriving: parking will throw at once.
    case cancelledEarly
    case parked(deadline: Date, continuation: CheckedContinuation<Void, any Error>)
  }

  /// What parking decided for the sleep.
  enum Parking {
    case wait
    case resume
    case cancel
  }

  typealias Watcher = (count: Int, continuation: CheckedContinuation<Void, Never>)

  var now: Date
  private var nextID: UInt64 = 0
  private var sleepers: [UInt64: Sleeper] = [:]
  private var watchers: [Watcher] = []

  init(now: Date) { self.now = now }

  var parkedCount: Int {
    sleepers.values.count { if case .parked = $0 { true } else { false } }
  }

  mutating func register() -> UInt64 {
    nextID += 1
    sleepers[nextID] = .arriving
    return nextID
  }

  mutating func park(
    _ id: UInt64, until deadline: Date, _ continuation: CheckedContinuation<Void, any Error>
  ) -> (Parking, [Watcher]) {
    if case .cancelledEarly = sleepers[id] {
      sleepers[id] = nil
      return (.cancel, [])
    }
    guard deadline > now else {
      sleepers[id] = nil
      return (.resume, [])
    }
    sleepers[id] = .parked(deadline: deadline, continuation: continuation)
    return (.wait, satisfiedWatchers())
  }

  /// The continuation to throw `CancellationError` into, if the sleep was parked.
  mutating func cancel(_ id: UInt64) -> CheckedContinuation<Void, any Error>? {
    switch sleepers[id] {
    case .arriving:
      sleepers[id] = .cancelledEarly
      return nil
    case .parked(_, let continuation):
      sleepers[id] = nil
      return continuation
    case .cancelledEarly, nil:
      return nil
    }
  }

  /// Moves time forward (never back) and takes out the sleepers now due, earliest
  /// deadline first (ties in the order they went to sleep).
  mutating func advance(to date: Date) -> [CheckedContinuation<Void, any Error>] {
    now = max(now, date)
    let due = sleepers.compactMap { id, sleeper -> (UInt64, Date, CheckedContinuation<Void, any Error>)? in
      guard case .parked(let deadline, let continuation) = sleeper, deadline <= now else { return nil }
      return (id, deadline, continuation)
    }
    .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    for (id, _, _) in due { sleepers[id] = nil }
    return due.map(\.2)
  }

  /// Adds a watcher for `count` parked sleepers; false when there already are that many.
  mutating func watch(_ count: Int, _ continuation: CheckedContinuation<Void, Never>) -> Bool {
    guard parkedCount < count else { return false }
    watchers.append((count, continuation))
    return true
  }

  private mutating func satisfiedWatchers() -> [Watcher] {
    let parked = parkedCount
    let satisfied = watchers.filter { $0.count <= parked }
    watchers.removeAll { $0.count <= parked }
    return satisfied
  }
}
