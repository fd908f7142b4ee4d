/// What became of the events a `WebhookNotifier` accepted, for `/metrics`.
///
/// Events filtered out by `notify.on` are not counted: they were never wanted.
public struct WebhookCounters: Sendable, Equatable {
  /// Answered with a 2xx, possibly after retries.
  public var delivered = 0
  /// Given up on: a status that retrying cannot change (4xx other than 429, 3xx), an
  /// error such as TLS, or retries exhausted.
  public var failed = 0
  /// Never delivered for want of room or time: pushed out of a full queue, offered
  /// after shutdown began, or still queued or in flight at the shutdown deadline.
  public var dropped = 0

  public init(delivered: Int = 0, failed: Int = 0, dropped: Int = 0) {
    self.delivered = delivered
    self.failed = failed
    self.dropped = dropped
  }
}
