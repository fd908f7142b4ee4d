import DRCore
import DRHTTP
import Foundation

/// A failed S3 operation: what was asked, what the server (or the network) said, and what
/// to do about it. The description never carries a secret or a signature.
public struct S3Error: DRError {
  public enum Kind: Sendable, Equatable {
    /// The server answered with an error document (or an error status).
    case server(status: Int, code: String)
    /// No answer: connection, timeout, TLS.
    case transport(HTTPError.Code)
    /// The answer could not be understood (garbage XML, an HTML error page).
    case malformedResponse(status: Int)
    /// dr refused before sending (a key that cannot be stored, an upload out of parts).
    case invalidRequest
  }

  public let kind: Kind
  /// `PUT s3://bucket/key`, for messages.
  public let operation: String
  public let message: String
  public let requestID: String?
  /// Where the credentials came from, for signature and access errors.
  public let credentialsSource: String?
  /// Set when the error was retried until the retry budget ran out: attempts made, and
  /// seconds from the first failure to the last.
  public var gaveUp: (attempts: Int, seconds: Double)?
  /// The attempt that got this answer. Above 1, an earlier attempt may have done what was
  /// asked and lost its answer, so a "not there" can be that attempt's own success.
  public var attempt = 1

  public init(
    _ kind: Kind, operation: String, message: String, requestID: String? = nil, credentialsSource: String? = nil
  ) {
    self.kind = kind
    self.operation = operation
    self.message = message
    self.requestID = requestID
    self.credentialsSource = credentialsSource
  }

  public var exitStatus: ExitStatus {
    if case .transport(.cancelled) = kind { return .interrupted }
    return .failure
  }

  public var category: FailureCategory {
    if case .transport(.timedOut) = kind { return .timeout }
    if case .server(408, _) = kind { return .timeout }
    return .storage
  }

  /// `s3.server.AccessDenied` (the server's own code), `s3.transport.timedOut`,
  /// `s3.malformedResponse`, `s3.invalidRequest`.
  public var errorCode: String {
    switch kind {
    case .server(_, let code): Self.isPlainCode(code) ? "s3.server.\(code)" : "s3.server"
    case .transport(let code): "s3.transport.\(ErrorCodeName.caseName(code))"
    case .malformedResponse: "s3.malformedResponse"
    case .invalidRequest: "s3.invalidRequest"
    }
  }

  /// A server's code that can go into `errorCode` as it is: a short ASCII word.
  static func isPlainCode(_ code: String) -> Bool {
    (1...64).contains(code.count)
      && code.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }
  }

  /// The S3 error code (`NoSuchKey`, `SlowDown`...), when the server sent one.
  public var code: String? {
    if case .server(_, let code) = kind { return code }
    return nil
  }

  public var status: Int? {
    switch kind {
    case .server(let status, _), .malformedResponse(let status): status
    default: nil
    }
  }

  public var description: String {
    var text = "\(operation): "
    switch kind {
    case .server(let status, let code): text += "\(status) \(code)"
    case .transport: text += "no answer"
    case .malformedResponse(let status): text += "unreadable answer (HTTP \(status))"
    case .invalidRequest: text += "refused"
    }
    if !message.isEmpty { text += ": \(message)" }
    if let advice = S3ErrorAdvice.advice(for: code, credentialsSource: credentialsSource) { text += ". \(advice)" }
    if let requestID { text += " (request id \(requestID))" }
    if let gaveUp, gaveUp.attempts > 1 {
      text +=
        "; gave up after \(gaveUp.attempts) attempts in \(String(format: "%.1f", gaveUp.seconds)) s, "
        + "when the retry budget ran out (DR_S3_RETRY_ATTEMPTS, DR_S3_RETRY_SECONDS)"
    }
    return text.redacted
  }
}

/// What to do about the errors people meet most.
enum S3ErrorAdvice {
  static func advice(for code: String?, credentialsSource: String?) -> String? {
    let source = credentialsSource.map { " (credentials: \($0))" } ?? ""
    switch code {
    case "SignatureDoesNotMatch":
      return "The server rejected the request signature: the secret key does not match the access key\(source)"
    case "InvalidAccessKeyId":
      return "The server does not know this access key\(source)"
    case "AccessDenied", "AllAccessDisabled":
      return "These credentials may not do this\(source); check the bucket policy and the user's permissions"
    case "NoSuchBucket":
      return "Create the bucket, or fix storage.url in the policy"
    case "RequestTimeTooSkewed":
      return "This machine's clock is off by more than 15 minutes; fix it (NTP)"
    case "SlowDown":
      return "The server asked for fewer requests: it is overloaded, or throttles this client"
    default:
      return nil
    }
  }
}
