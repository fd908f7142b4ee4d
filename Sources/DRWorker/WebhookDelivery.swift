import DRCore
import DRHTTP
import FoundationEssentials
import Logging

/// One event's way to the receiver: signed POSTs, retried with backoff while the failure
/// may pass, until it is answered, given up on, or cancelled by the shutdown deadline.
struct WebhookDelivery: Sendable {
  enum Outcome: Equatable {
    case delivered(attempts: Int)
    case failed(String)
    /// Cancelled (the shutdown deadline passed) before an answer came.
    case abandoned
  }

  /// What one attempt came to.
  enum Attempt: Equatable {
    case accepted
    case retryable(String)
    case rejected(String)
    case cancelled
  }

  let configuration: WebhookConfiguration
  let client: HTTPClient
  let sleep: WebhookNotifier.Sleep
  /// Uniform in [0, 1]: the jitter of each backoff.
  let random: @Sendable () -> Double
  let logger: Logger

  /// Sends `body` until it is answered or given up on. The time bound counts the
  /// attempts as measured plus the waits as asked for, so it holds whatever `sleep` does.
  func deliver(_ body: [UInt8]) async -> Outcome {
    let retry = configuration.retry
    let clock = ContinuousClock()
    var spent = 0.0
    for attempt in 1...retry.maxAttempts {
      let start = clock.now
      let result = await send(body)
      spent += start.duration(to: clock.now).seconds
      switch result {
      case .accepted: return .delivered(attempts: attempt)
      case .rejected(let why): return .failed(why)
      case .cancelled: return .abandoned
      case .retryable(let why):
        let delay = retry.delay(beforeRetry: attempt, random: random())
        guard retry.allowsRetry(afterAttempts: attempt, elapsed: spent, delay: delay) else {
          return .failed("\(why), after \(attempt) attempt\(attempt == 1 ? "" : "s")")
        }
        logger.notice("webhook to \(configuration.endpoint): \(why); retrying in \(Self.format(delay)) s")
        guard (try? await sleep(.seconds(delay))) != nil, !Task.isCancelled else { return .abandoned }
        spent += delay
      }
    }
    return .failed("no attempt left")
  }

  /// One signed POST of `body`, timestamped now.
  func send(_ body: [UInt8]) async -> Attempt {
    guard !Task.isCancelled else { return .cancelled }
    do {
      let response = try await client.send(request(body, timestamp: Int(Date().timeIntervalSince1970)))
      return Self.classify(status: response.status)
    } catch let error as HTTPError {
      return Self.classify(error)
    } catch {
      return Task.isCancelled ? .cancelled : .rejected(String(describing: error).redacted)
    }
  }

  func request(_ body: [UInt8], timestamp: Int) -> HTTPRequest {
    let headers: [(name: String, value: String)] =
      [("Content-Type", "application/json"), ("User-Agent", configuration.userAgent)]
      + WebhookSignature.headers(secret: configuration.secret, timestamp: timestamp, body: body)
    return HTTPRequest(method: "POST", url: configuration.url, headers: headers, body: .bytes(body))
  }

  static func classify(status: Int) -> Attempt {
    if (200...299).contains(status) { return .accepted }
    let why = "HTTP \(status)"
    return WebhookRetryPolicy.isRetryable(status: status) ? .retryable(why) : .rejected(why)
  }

  /// Network trouble may pass; TLS and malformed requests will not.
  static func classify(_ error: HTTPError) -> Attempt {
    if error.code == .cancelled { return .cancelled }
    let why = error.message.redacted
    return error.isTransient ? .retryable(why) : .rejected(why)
  }

  static func format(_ seconds: Double) -> String {
    String((seconds * 100).rounded() / 100)
  }
}
