import DRCore
import DRHTTP
import Foundation

/// Credentials of the EC2 instance role, through IMDSv2: a session token from
/// `PUT /latest/api/token`, then the role name and its keys, each request carrying the
/// token. Falls back to IMDSv1 when the token call is refused as unknown (403, 404, 405),
/// unless `AWS_EC2_METADATA_V1_DISABLED` is true.
struct InstanceMetadataCredentials: Sendable {
  static let defaultEndpoint = "http://169.254.169.254"
  static let defaultIPv6Endpoint = "http://[fd00:ec2::254]"
  static let rolesPath = "/latest/meta-data/iam/security-credentials/"
  static let tokenTTLSeconds = 21_600

  let endpoint: String
  let allowV1: Bool
  let client: MetadataClient
  let secrets: SecretRegistry

  var source: String { "EC2 instance metadata (\(endpoint))" }

  /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else the IPv4 or IPv6 default
  /// (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`); nil when `AWS_EC2_METADATA_DISABLED` is true.
  static func endpoint(from variables: [String: String]) -> String? {
    if variables.nonEmpty("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" { return nil }
    if let endpoint = variables.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
      return endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    }
    let mode = variables.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")?.lowercased()
    return mode == "ipv6" ? defaultIPv6Endpoint : defaultEndpoint
  }

  func fetch() async throws -> S3Credentials {
    do {
      let token = try await sessionToken()
      let roles = try await get(Self.rolesPath, token: token, what: "the instance role")
      guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
        throw MetadataFailure(reason: "no IAM role is attached to this instance")
      }
      let document = try await get(Self.rolesPath + role, token: token, what: "the keys of role \(role)")
      return try CredentialsDocument.decode(
        Array(document.utf8), source: "EC2 instance role \(role) (\(endpoint))", secrets: secrets)
    } catch let failure as MetadataFailure {
      throw CredentialsError.fetchFailed(source: source, reason: failure.reason)
    }
  }

  /// The IMDSv2 session token; nil means IMDSv1 (no token header).
  private func sessionToken() async throws -> String? {
    let request = HTTPRequest(
      method: "PUT", url: endpoint + "/latest/api/token",
      headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))])
    let response: HTTPResponse
    do {
      response = try await client.send(request)
    } catch let failure as MetadataFailure {
      throw MetadataFailure(reason: failure.reason + " (not an EC2 instance, or its metadata service is blocked)")
    }
    switch response.status {
    case 200:
      let token = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !token.isEmpty, !token.contains(where: \.isNewline) else {
        throw MetadataFailure(reason: "the session token answer is empty or malformed")
      }
      secrets.register(token)
      return token
    case 403, 404, 405:
      // No IMDSv2 here (an old service or a proxy); IMDSv1 unless the user forbids it.
      guard allowV1 else { throw MetadataFailure(reason: "IMDSv2 is unavailable and IMDSv1 is disabled") }
      return nil
    default:
      throw MetadataFailure(reason: "the session token request answered HTTP \(response.status)")
    }
  }

  private func get(_ path: String, token: String?, what: String) async throws -> String {
    let headers: [(name: String, value: String)] = token.map { [("X-aws-ec2-metadata-token", $0)] } ?? []
    let response = try await client.send(HTTPRequest(method: "GET", url: endpoint + path, headers: headers))
    switch response.status {
    case 200: return response.bodyText
    case 404 where path == Self.rolesPath: throw MetadataFailure(reason: "no IAM role is attached to this instance")
    default: throw MetadataFailure(reason: "asking for \(what) answered HTTP \(response.status)")
    }
  }
}
