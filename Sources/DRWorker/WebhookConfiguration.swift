import DRCore
import DRHTTP
import DRPolicy
import Foundation

/// Where and how `WebhookNotifier` sends events: the policy's `notify:` settings plus
/// the bounds a worker needs (queue size, retries, transfer timeouts).
public struct WebhookConfiguration: Sendable {
  /// The URL events are POSTed to. It may hold a token (many services put one in the
  /// path), so it is never logged whole: see `endpoint`.
  public var url: String
  /// Which outcomes are sent; a policy's default is failures only.
  public var on: Set<NotifySettings.Event>
  /// Signs each body (`X-DR-Signature`) when set; see `WebhookSignature`.
  public var secret: Secret?
  /// Events waiting to be sent; past it the oldest is dropped, so a dead receiver costs
  /// bounded memory and a worker never waits on it.
  public var queueCapacity: Int
  public var retry: WebhookRetryPolicy
  /// Sent as `User-Agent`, so receivers can tell dr's requests and its version.
  public var userAgent: String
  /// libcurl's bounds on one attempt: connecting, and a receiver that stops answering.
  public var http: HTTPClientConfiguration

  public init(
    url: String, on: Set<NotifySettings.Event> = [.failure], secret: Secret? = nil, queueCapacity: Int = 100,
    retry: WebhookRetryPolicy = WebhookRetryPolicy(), userAgent: String = "dr/\(DRVersion.current)"
  ) {
    self.url = url
    self.on = on
    self.secret = secret
    self.queueCapacity = max(1, queueCapacity)
    self.retry = retry
    self.userAgent = userAgent
    http = HTTPClientConfiguration()
    http.connectTimeout = 5
    http.lowSpeedTime = 15
  }

  /// A policy's `notify:` settings with the worker's defaults for everything else.
  public init(_ settings: NotifySettings) {
    self.init(url: settings.webhook, on: Set(settings.on), secret: settings.secret)
  }

  /// Whether an event with this outcome is wanted at all.
  public func wants(_ outcome: WorkerEvent.Outcome) -> Bool {
    switch outcome {
    case .failed, .lost, .inconclusive: on.contains(.failure)
    case .succeeded: on.contains(.success)
    }
  }

  /// `scheme://host[:port]`, for logs: no user info, path or query, where tokens live.
  public var endpoint: String {
    guard let schemeEnd = url.range(of: "://") else { return "webhook" }
    let rest = url[schemeEnd.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
    return "\(url[..<schemeEnd.upperBound])\(host)"
  }
}
