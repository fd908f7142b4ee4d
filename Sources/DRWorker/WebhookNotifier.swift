import DRCore
import DRHTTP
import Logging

/// Sends `WorkerEvent`s to a policy's webhook without ever making a job wait for it.
///
/// `notify` filters by `notify.on`, queues and returns at once; one delivery task of its
/// own sends the queued events in order, each as a signed JSON POST (see
/// `WebhookSignature`), retrying network failures, 429 and 5xx with backoff
/// (`WebhookRetryPolicy`). The queue is bounded: a receiver that is down for long loses
/// the oldest events, which are counted and logged. `shutdown(deadline:)` lets the queue
/// drain until a deadline. `counters` feed `/metrics`.
public final class WebhookNotifier: Sendable {
  /// Waits between attempts; tests pass one that records the delay and returns at once.
  public typealias Sleep = @Sendable (Duration) async throws -> Void

  public let configuration: WebhookConfiguration
  private let inbox: WebhookInbox
  private let redactor: Redactor
  private let logger: Logger
  private let worker: Task<Void, Never>

  /// Starts the delivery task. The signing secret is added to `registry`, so it is
  /// redacted wherever dr prints text; event reasons are redacted with the same registry.
  public init(
    configuration: WebhookConfiguration, registry: SecretRegistry = .shared,
    logger: Logger = Logger(label: "dr.webhook"), sleep: @escaping Sleep = { try await Task.sleep(for: $0) },
    random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
  ) {
    registry.register(configuration.secret?.value)
    self.configuration = configuration
    self.redactor = Redactor(registry: registry)
    self.logger = logger
    let inbox = WebhookInbox(capacity: configuration.queueCapacity)
    self.inbox = inbox
    let delivery = WebhookDelivery(
      configuration: configuration, client: HTTPClient(configuration: configuration.http), sleep: sleep,
      random: random, logger: logger)
    worker = Task { await Self.run(inbox, delivery, logger) }
  }

  deinit { worker.cancel() }

  /// Queues `event` for delivery if `notify.on` wants its outcome, and returns at once.
  /// Its reason is redacted first. When the queue is full the oldest event is dropped.
  public func notify(_ event: WorkerEvent) {
    guard configuration.wants(event.outcome) else { return }
    switch inbox.push(event.redacted(by: redactor)) {
    case .queued:
      break
    case .queuedDroppingOldest(let oldest):
      logger.warning(
        "webhook queue full (\(configuration.queueCapacity)): dropped \(oldest.event) of policy \(oldest.policy)")
    case .closed:
      logger.warning("webhook notifier shut down: dropped \(event.event) of policy \(event.policy)")
    }
  }

  /// What became of the events so far.
  public var counters: WebhookCounters { inbox.counters }

  /// Takes no more events and delivers those queued until `deadline`; at the deadline a
  /// delivery in flight is cancelled and whatever is left is counted as dropped.
  public func shutdown(deadline: ContinuousClock.Instant) async {
    inbox.close()
    let worker = self.worker
    let finished = await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        await worker.value
        return true
      }
      group.addTask {
        try? await Task.sleep(until: deadline, clock: .continuous)
        return false
      }
      let first = await group.next() ?? true
      if !first { worker.cancel() }
      group.cancelAll()
      return first
    }
    let left = inbox.dropRemaining()
    if !finished || left > 0 {
      logger.warning("webhook shutdown deadline passed: \(left) queued event(s) not delivered")
    }
  }
}

extension WebhookNotifier {
  /// The delivery task: sends queued events one at a time, oldest first. It ends when
  /// the inbox is closed and drained (its doorbell finishes) or when it is cancelled.
  static func run(_ inbox: WebhookInbox, _ delivery: WebhookDelivery, _ logger: Logger) async {
    var rings = inbox.rings.makeAsyncIterator()
    while !Task.isCancelled {
      if let event = inbox.pop() {
        await deliver(event, inbox, delivery, logger)
      } else if await rings.next() == nil {
        return
      }
    }
  }

  private static func deliver(
    _ event: WorkerEvent, _ inbox: WebhookInbox, _ delivery: WebhookDelivery, _ logger: Logger
  ) async {
    let target = delivery.configuration.endpoint
    guard let body = try? event.jsonBody() else {
      inbox.record(.failed("not encodable"))
      logger.error("webhook: could not encode \(event.event) of policy \(event.policy) as JSON")
      return
    }
    let outcome = await delivery.deliver(body)
    inbox.record(outcome)
    switch outcome {
    case .delivered(let attempts):
      logger.debug("webhook \(event.event) of policy \(event.policy) delivered to \(target) (\(attempts) attempt(s))")
    case .failed(let why):
      logger.warning("webhook \(event.event) of policy \(event.policy) to \(target) failed: \(why)")
    case .abandoned:
      logger.warning("webhook \(event.event) of policy \(event.policy) to \(target) abandoned at shutdown")
    }
  }
}
