import DRCore

/// A transfer that did not produce an HTTP response: no connection, a timeout, TLS,
/// an aborted body. HTTP error statuses are responses, not `HTTPError`s.
public struct HTTPError: DRError {
  public enum Code: Sendable, Equatable {
    case couldNotResolve
    case couldNotConnect
    case timedOut
    case tls
    case connectionLost
    case cancelled
    case bodySource
    case bodySink
    case invalidRequest
    case other
  }

  public let code: Code
  public let message: String
  /// The URL without its query (presigned signatures live there).
  public let url: String

  public init(_ code: Code, _ message: String, url: String) {
    self.code = code
    self.message = message
    self.url = String(url.prefix { $0 != "?" })
  }

  public var exitStatus: ExitStatus { code == .cancelled ? .interrupted : .failure }
  public var errorCode: String { "http.\(code)" }
  public var category: FailureCategory { code == .timedOut ? .timeout : .storage }

  /// Whether sending the same request again may succeed (network trouble, not our input).
  public var isTransient: Bool {
    [.couldNotConnect, .timedOut, .connectionLost, .couldNotResolve].contains(code)
  }

  public var description: String { "\(url): \(message)".redacted }
}
