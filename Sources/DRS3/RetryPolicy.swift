import DRHTTP

/// When to try an S3 request again, and how long to wait: exponential backoff with full
/// jitter (AWS's recommendation), bounded in attempts and in total time.
public struct RetryPolicy: Sendable, Equatable {
  public var maxAttempts: Int
  /// Seconds before the first retry's random wait is drawn from.
  public var baseDelay: Double
  /// The cap of one wait, in seconds.
  public var maxDelay: Double
  /// No retry starts after this many seconds since the first failure (not the first
  /// attempt, whose transfer may have been long).
  public var maxElapsed: Double

  public init(maxAttempts: Int = 8, baseDelay: Double = 0.2, maxDelay: Double = 20, maxElapsed: Double = 120) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxElapsed = maxElapsed
  }

  public static let none = RetryPolicy(maxAttempts: 1)

  /// The ceiling of the wait before retry number `attempt` (1 = the first retry):
  /// `min(maxDelay, baseDelay × 2^(attempt-1))`.
  public func ceiling(beforeRetry attempt: Int) -> Double {
    min(maxDelay, baseDelay * Double(1 << min(max(attempt - 1, 0), 30)))
  }

  /// The wait before retry number `attempt`: the ceiling times `random`, drawn uniformly
  /// from [0, 1] (full jitter).
  public func delay(beforeRetry attempt: Int, random: Double) -> Double {
    ceiling(beforeRetry: attempt) * min(max(random, 0), 1)
  }

  /// Whether another attempt may start after `attempts` attempts and `elapsed` seconds.
  public func allowsRetry(afterAttempts attempts: Int, elapsed: Double) -> Bool {
    attempts < maxAttempts && elapsed < maxElapsed
  }

  /// S3 error codes that mean "try again later".
  static let retryableCodes: Set<String> = [
    "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException",
    "RequestThrottled", "TooManyRequests", "OperationAborted",
  ]

  /// Whether a failure may pass on a retry of the same request. `idempotent` requests
  /// are retried on any transient failure; others only when the request surely never
  /// reached the server.
  public static func isRetryable(_ error: S3Error, idempotent: Bool) -> Bool {
    switch error.kind {
    case .transport(let code):
      if idempotent { return [.couldNotConnect, .timedOut, .connectionLost, .couldNotResolve].contains(code) }
      return code == .couldNotConnect
    case .server(let status, let code):
      guard idempotent else { return false }
      return status >= 500 || status == 429 || retryableCodes.contains(code)
    case .malformedResponse(let status):
      return idempotent && status >= 500
    case .invalidRequest:
      return false
    }
  }
}
