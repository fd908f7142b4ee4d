import DRCore
import DRHTTP
import Foundation

/// Why a metadata service (container or EC2) gave no credentials, in words for messages.
struct MetadataFailure: Error, Equatable {
  let reason: String
}

/// HTTP to a metadata service: every request bounded by `timeout` (connection and answer),
/// whatever the injected client's own timeouts, so a host without the service fails fast.
struct MetadataClient: Sendable {
  let http: HTTPClient
  let timeout: Duration

  func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let response: HTTPResponse?
    do {
      response = try await withDeadline(timeout) { [http] in try await http.send(request) }
    } catch let error as HTTPError {
      throw MetadataFailure(reason: error.message.isEmpty ? "\(error.code)" : error.message)
    }
    guard let response else { throw MetadataFailure(reason: noAnswer) }
    return response
  }

  private var noAnswer: String { "no answer within \(timeout.secondsText)" }
}

extension Duration {
  /// "1 s", "1.5 s".
  var secondsText: String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
  }
}

/// The JSON both the container endpoint and EC2 hand out:
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` (EC2 adds `"Code"`).
enum CredentialsDocument {
  private struct Body: Decodable {
    let accessKeyID: String?
    let secretAccessKey: String?
    let token: String?
    let expiration: String?
    let code: String?
    let message: String?

    enum CodingKeys: String, CodingKey {
      case accessKeyID = "AccessKeyId"
      case secretAccessKey = "SecretAccessKey"
      case token = "Token"
      case expiration = "Expiration"
      case code = "Code"
      case message = "Message"
    }
  }

  static func decode(_ bytes: [UInt8], source: String, secrets: SecretRegistry) throws -> S3Credentials {
    guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)) else {
      throw MetadataFailure(reason: "the answer is not a credentials document (\(bytes.count) bytes)")
    }
    if let code = body.code, code != "Success" {
      throw MetadataFailure(reason: "the service answered \(code)\(body.message.map { ": \($0)" } ?? "")")
    }
    guard let id = body.accessKeyID, !id.isEmpty, let secret = body.secretAccessKey, !secret.isEmpty else {
      throw MetadataFailure(reason: "the answer has no AccessKeyId or SecretAccessKey")
    }
    secrets.register(secret)
    secrets.register(body.token)
    var expiration: Date?
    if let text = body.expiration {
      guard let date = parseDate(text) else {
        throw MetadataFailure(reason: "the answer's Expiration \(text) is not an ISO 8601 time")
      }
      expiration = date
    }
    return S3Credentials(
      accessKeyID: id, secretAccessKey: secret, sessionToken: body.token, expiration: expiration, source: source)
  }

  static func parseDate(_ text: String) -> Date? {
    if let date = try? Date(text, strategy: .iso8601) { return date }
    return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }
}
