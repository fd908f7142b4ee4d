import DRCore

/// Where a storage's keys come from, as the policy says (`storage.credentials`): the
/// caller maps its policy value to this, so DRS3 need not know the policy.
public enum CredentialsSource: Sendable, Equatable, CustomStringConvertible {
  /// No credentials in the policy: the AWS CLI's default chain.
  case chain
  /// A named profile of the shared files; the environment's keys are not consulted.
  case profile(String)
  /// Keys written in the policy.
  case keys(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret?)
  /// A role assumed through STS (`credentials: {role_arn: …, source: …}`).
  indirect case role(RoleParameters, authority: RoleAuthority)

  public var description: String {
    switch self {
    case .chain: "the default chain"
    case .profile(let name): "profile \(name)"
    case .keys(let id, _, _): "keys from the policy (access key \(id))"
    case .role(let role, let authority): "role \(role.roleARN) (\(authority))"
    }
  }
}

/// What proves the right to assume a role.
public enum RoleAuthority: Sendable, Equatable, CustomStringConvertible {
  /// `AssumeRole`, signed with these credentials.
  indirect case credentials(CredentialsSource)
  /// `AssumeRoleWithWebIdentity`, with the token read from this file at every call.
  case webIdentity(tokenFile: String)

  public var description: String {
    switch self {
    case .credentials(let source): "assumed with \(source)"
    case .webIdentity(let file): "assumed with the web identity token in \(file)"
    }
  }
}

/// Everything needed to reach one S3 destination, resolved: the keys (refreshed as
/// needed), the region, the endpoint, and where each came from.
public struct S3Access: Sendable, CustomStringConvertible {
  public let credentials: any S3CredentialsProvider
  /// The source of the keys, for messages: "environment (AWS_ACCESS_KEY_ID)",
  /// "profile spare (/home/u/.aws/credentials)", "EC2 instance metadata (...)".
  public let credentialsSource: String
  public let region: String
  /// Where the region came from: "the policy", "AWS_REGION", "profile spare", "the default".
  public let regionSource: String
  /// A custom endpoint (`http://127.0.0.1:7480`), without a trailing slash; nil for AWS.
  public let endpoint: String?
  public let endpointSource: String

  public init(
    credentials: any S3CredentialsProvider, credentialsSource: String, region: String, regionSource: String,
    endpoint: String?, endpointSource: String
  ) {
    self.credentials = credentials
    self.credentialsSource = credentialsSource
    self.region = region
    self.regionSource = regionSource
    self.endpoint = endpoint
    self.endpointSource = endpointSource
  }

  /// "credentials from profile spare (...); region eu-west-1 (AWS_REGION); endpoint AWS".
  public var description: String {
    let target = endpoint.map { "endpoint \($0) (\(endpointSource))" } ?? "endpoint AWS (\(endpointSource))"
    return "credentials from \(credentialsSource); region \(region) (\(regionSource)); \(target)".redacted
  }
}
