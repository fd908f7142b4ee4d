import DRCore
import DRHTTP
import Foundation

/// Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity).
struct ContainerCredentials: Sendable {
  enum Authorization: Sendable, Equatable {
    case none
    case token(String)
    /// Read at every fetch: EKS rotates the file.
    case file(String)
  }

  let url: String
  let authorization: Authorization
  let client: MetadataClient
  let secrets: SecretRegistry

  var source: String { "container credentials (\(url))" }

  /// Plain HTTP is only allowed to these hosts (ECS, EKS Pod Identity, loopback), as in the
  /// AWS SDKs; anything else needs HTTPS.
  static let plainHTTPHosts: Set<String> = ["localhost", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "::1"]

  /// The endpoint the environment configures: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
  /// against `relativeBase`, else `AWS_CONTAINER_CREDENTIALS_FULL_URI`; nil when neither.
  static func url(from variables: [String: String], relativeBase: String) throws(CredentialsError) -> String? {
    if let relative = variables.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
      guard relative.hasPrefix("/") else {
        throw .invalidContainerURI(relative, reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with /")
      }
      return relativeBase + relative
    }
    guard let full = variables.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
    guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased(),
      let host = components.host?.lowercased(), !host.isEmpty
    else {
      throw .invalidContainerURI(full, reason: "not an absolute http or https URL")
    }
    switch scheme {
    case "https": return full
    case "http" where isAllowedPlainHTTPHost(host): return full
    case "http":
      throw .invalidContainerURI(full, reason: "plain http is only allowed to a loopback address or the ECS/EKS agent")
    default: throw .invalidContainerURI(full, reason: "the scheme must be http or https")
    }
  }

  static func isAllowedPlainHTTPHost(_ host: String) -> Bool {
    let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    return plainHTTPHosts.contains(bare) || bare.hasPrefix("127.")
  }

  /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` wins over `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
  static func authorization(from variables: [String: String], secrets: SecretRegistry) -> Authorization {
    if let file = variables.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") { return .file(file) }
    if let token = variables.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
      secrets.register(token)
      return .token(token)
    }
    return .none
  }

  func fetch() async throws -> S3Credentials {
    do {
      var headers: [(name: String, value: String)] = [("Accept", "application/json")]
      if let token = try authorizationToken() { headers.append(("Authorization", token)) }
      let response = try await client.send(HTTPRequest(method: "GET", url: url, headers: headers))
      guard response.status == 200 else {
        throw MetadataFailure(reason: "HTTP \(response.status)\(Self.excerpt(response))")
      }
      return try CredentialsDocument.decode(response.body, source: source, secrets: secrets)
    } catch let failure as MetadataFailure {
      throw CredentialsError.fetchFailed(source: source, reason: failure.reason)
    }
  }

  private func authorizationToken() throws -> String? {
    switch authorization {
    case .none: return nil
    case .token(let token): return try Self.checked(token)
    case .file(let path):
      guard let data = FileManager.default.contents(atPath: path) else {
        throw MetadataFailure(reason: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path)")
      }
      let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      secrets.register(token)
      return try Self.checked(token)
    }
  }

  /// A token with a line break would inject headers; refuse it.
  private static func checked(_ token: String) throws -> String {
    guard !token.contains(where: \.isNewline) else {
      throw MetadataFailure(reason: "the authorization token contains a line break")
    }
    return token
  }

  /// The start of an error body (the agent's message), on one line.
  static func excerpt(_ response: HTTPResponse) -> String {
    let text = response.bodyText.split(whereSeparator: \.isNewline).joined(separator: " ")
    return text.isEmpty ? "" : ": " + String(text.prefix(200))
  }
}
