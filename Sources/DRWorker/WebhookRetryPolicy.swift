/// When a webhook delivery is tried again and how long it waits first: exponential
/// backoff with full jitter, so many workers failing at once do not retry in step,
/// bounded in attempts and in total time, so a dead receiver costs a bounded effort.
public struct WebhookRetryPolicy: Sendable, Equatable {
  /// Attempts in all, the first included.
  public var maxAttempts: Int
  /// The ceiling of the first retry's random wait, in seconds; it doubles per retry.
  public var baseDelay: Double
  /// The cap of one wait, in seconds.
  public var maxDelay: Double
  /// No retry is started whose wait would end past this many seconds of effort on one
  /// event: the attempts' measured time plus the waits asked for, so the bound holds
  /// whatever sleep function the notifier was given.
  public var maxElapsed: Double

  public init(maxAttempts: Int = 5, baseDelay: Double = 1, maxDelay: Double = 30, maxElapsed: Double = 120) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxElapsed = maxElapsed
  }

  /// The ceiling of the wait before retry number `retry` (1 = the first retry):
  /// `min(maxDelay, baseDelay × 2^(retry-1))`.
  public func ceiling(beforeRetry retry: Int) -> Double {
    min(maxDelay, baseDelay * Double(1 << min(max(retry - 1, 0), 30)))
  }

  /// The wait before retry number `retry`: the ceiling times `random`, which is drawn
  /// uniformly from [0, 1] (full jitter).
  public func delay(beforeRetry retry: Int, random: Double) -> Double {
    ceiling(beforeRetry: retry) * min(max(random, 0), 1)
  }

  /// Whether a retry may follow `attempts` attempts when `elapsed` seconds have passed
  /// since the first and the wait before it is `delay` seconds.
  public func allowsRetry(afterAttempts attempts: Int, elapsed: Double, delay: Double) -> Bool {
    attempts < maxAttempts && elapsed + delay <= maxElapsed
  }

  /// Whether an answer with this status may be worth sending again: the receiver is
  /// overloaded (429) or broken for now (5xx). Other statuses will not change.
  public static func isRetryable(status: Int) -> Bool {
    status == 429 || (500...599).contains(status)
  }
}
