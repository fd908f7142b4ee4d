import Synchronization

/// A fault's remaining uses and deadline.
struct Allowance: Sendable {
  private var remaining: Int?
  private let deadline: ContinuousClock.Instant?

  init(_ budget: FaultProxy.Budget, now: ContinuousClock.Instant = .now) {
    switch budget {
    case .once: (remaining, deadline) = (1, nil)
    case .times(let count): (remaining, deadline) = (max(0, count), nil)
    case .during(let period): (remaining, deadline) = (nil, now + period)
    case .always: (remaining, deadline) = (nil, nil)
    }
  }

  func isLive(at now: ContinuousClock.Instant) -> Bool {
    (remaining ?? 1) > 0 && deadline.map { now < $0 } ?? true
  }

  mutating func consume(at now: ContinuousClock.Instant) -> Bool {
    guard isLive(at: now) else { return false }
    remaining = remaining.map { $0 - 1 }
    return true
  }
}

struct DropRule: Sendable {
  let direction: FaultProxy.Direction
  let afterBytes: Int
  let filter: FaultProxy.RequestFilter?
  let reset: Bool
}

struct HTTPRule: Sendable {
  let action: FaultProxy.HTTPAction
  let filter: FaultProxy.RequestFilter?
  let passFirst: Int
  var passed = 0
}

/// A fault with its identity and allowance.
struct Armed<Rule: Sendable>: Sendable {
  let id: FaultProxy.FaultID
  var rule: Rule
  var allowance: Allowance
}

/// Where a drop cuts a stream: forward `offset` bytes of the piece at hand, then drop.
struct Cut {
  let offset: Int
  let reset: Bool
}

/// Everything the proxy's threads share: the faults, as the test changes them at run time,
/// and the counters. All of it lives in one `Mutex`, held only for short, non-blocking work.
final class FaultState: Sendable {
  struct Storage: Sendable {
    var latency = FaultProxy.Latency.none
    var bandwidth: Int?
    var drops: [Armed<DropRule>] = []
    var httpFaults: [Armed<HTTPRule>] = []
    var stalls: [Armed<Void>] = []
    var counters = FaultProxy.Counters()
    var seenRequests: [FaultProxy.SeenRequest] = []
    var nextID = 1

    mutating func newID() -> FaultProxy.FaultID {
      defer { nextID += 1 }
      return FaultProxy.FaultID(value: nextID)
    }

    mutating func count(_ kind: FaultProxy.FaultKind) {
      counters.faults[kind, default: 0] += 1
    }
  }

  /// How many requests `seenRequests` keeps, the latest.
  static let seenRequestLimit = 1000

  let storage = Mutex(Storage())

  func withStorage<Result: Sendable>(_ body: (inout Storage) -> Result) -> Result {
    storage.withLock { body(&$0) }
  }

  var pacing: (perChunk: Duration, bandwidth: Int?) {
    withStorage { ($0.latency.perChunk, $0.bandwidth) }
  }

  var connectionLatency: Duration { withStorage { $0.latency.perConnection } }

  func countBytes(_ count: Int, _ direction: FaultProxy.Direction) {
    withStorage {
      switch direction {
      case .clientToServer: $0.counters.bytesClientToServer += count
      case .serverToClient: $0.counters.bytesServerToClient += count
      }
    }
  }

  /// Counts a new connection; true when it is to be stalled.
  func acceptConnection() -> Bool {
    withStorage { storage in
      storage.counters.connectionsAccepted += 1
      storage.counters.connectionsOpen += 1
      let now = ContinuousClock.now
      storage.stalls.removeAll { !$0.allowance.isLive(at: now) }
      guard let index = storage.stalls.indices.first else { return false }
      _ = storage.stalls[index].allowance.consume(at: now)
      storage.count(.connectionStall)
      return true
    }
  }
}
