import DRS3

/// When a webhook delivery is tried again and how long it waits first: S3's backoff
/// (`RetryPolicy`: exponential with full jitter, so many workers failing at once do not
/// retry in step) with defaults of its own, bounded in attempts and in total time, so a
/// dead receiver costs a bounded effort.
public struct WebhookRetryPolicy: Sendable, Equatable {
  /// Attempts in all (the first included, at least one), the first retry's ceiling (it
  /// doubles per retry), the cap of one wait, and `maxElapsed`: no retry is started whose
  /// wait would end past this many seconds of effort on one event, the attempts' measured
  /// time plus the waits asked for, so the bound holds whatever sleep function the
  /// notifier was given.
  public var backoff: RetryPolicy

  public init(maxAttempts: Int = 5, baseDelay: Double = 1, maxDelay: Double = 30, maxElapsed: Double = 120) {
    backoff = RetryPolicy(
      maxAttempts: max(1, maxAttempts), baseDelay: baseDelay, maxDelay: maxDelay, maxElapsed: maxElapsed)
  }

  public var maxAttempts: Int { backoff.maxAttempts }
  public var maxDelay: Double { backoff.maxDelay }

  /// The ceiling of the wait before retry number `retry` (1 = the first retry).
  public func ceiling(beforeRetry retry: Int) -> Double { backoff.ceiling(beforeRetry: retry) }

  /// The wait before retry number `retry`: the ceiling times `random` in [0, 1].
  public func delay(beforeRetry retry: Int, random: Double) -> Double {
    backoff.delay(beforeRetry: retry, random: random)
  }

  /// Whether a retry may follow `attempts` attempts when `elapsed` seconds have passed
  /// since the first and the wait before it is `delay` seconds.
  public func allowsRetry(afterAttempts attempts: Int, elapsed: Double, delay: Double) -> Bool {
    attempts < backoff.maxAttempts && elapsed + delay <= backoff.maxElapsed
  }

  /// Whether an answer with this status may be worth sending again: the receiver is
  /// overloaded (429) or broken for now (5xx). Other statuses will not change.
  public static func isRetryable(status: Int) -> Bool {
    status == 429 || (500...599).contains(status)
  }
}
