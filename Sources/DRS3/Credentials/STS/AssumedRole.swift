import DRCore
import Foundation

/// Where STS is reached for one resolution: `AWS_ENDPOINT_URL_STS`, else the storage's own
/// endpoint when it is a custom one (Ceph RGW and other S3-compatible servers serve STS on
/// the S3 port), else AWS's regional endpoint.
struct STSContext: Sendable {
  let endpoint: String
  let region: String
}

/// What signs or proves an `AssumeRole` call, resolved.
enum ResolvedAuthority: Sendable {
  /// `AssumeRole`, signed with these (themselves perhaps temporary) credentials.
  case signer(any S3CredentialsProvider, description: String)
  case webIdentity(tokenFile: String)
}

extension S3AccessResolver {
  func stsContext(region: String, storageEndpoint: String?) throws(CredentialsError) -> STSContext {
    if let url = environment.nonEmpty("AWS_ENDPOINT_URL_STS") {
      return STSContext(endpoint: try Self.normalized(url, "AWS_ENDPOINT_URL_STS"), region: region)
    }
    return STSContext(endpoint: storageEndpoint ?? STSClient.awsEndpoint(region: region), region: region)
  }

  /// A role's credentials: fetched once now (so a refused role is reported at once), then
  /// cached and fetched again before they expire, one fetch at a time.
  func assumedRole(
    _ role: RoleParameters, authority: ResolvedAuthority, sts: STSContext
  ) async throws -> (any S3CredentialsProvider, String) {
    let client = STSClient(endpoint: sts.endpoint, region: sts.region, http: stsHTTPClient, secrets: secrets)
    let sessionName = RoleParameters.sessionName(
      from: role.sessionName ?? environment.nonEmpty("AWS_ROLE_SESSION_NAME") ?? "dr-" + Self.hostName)
    let fetch: @Sendable () async throws -> S3Credentials
    let description: String
    switch authority {
    case .signer(let provider, let source):
      description = "role \(role.roleARN) (AssumeRole at \(sts.endpoint) with \(source))"
      fetch = {
        try await client.assumeRole(role, sessionName: sessionName, signedWith: try await provider.credentials())
      }
    case .webIdentity(let file):
      description = "role \(role.roleARN) (AssumeRoleWithWebIdentity at \(sts.endpoint), token file \(file))"
      fetch = { [secrets] in
        let token = try WebIdentityToken.read(file, secrets: secrets)
        return try await client.assumeRoleWithWebIdentity(role, sessionName: sessionName, token: token)
      }
    }
    let first = try await fetch()
    // A short-lived role is refreshed a third of its life early at most, so it is not
    // fetched again at every call.
    let lifetime = first.expiration.map { $0.timeIntervalSince(now()) } ?? 3600
    let margin = min(metadata.refreshMargin, max(lifetime / 3, 1))
    let provider = RefreshingCredentialsProvider(
      source: description, initial: first, refreshMargin: margin, now: now, fetch: fetch)
    return (provider, description)
  }

  static var hostName: String {
    ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
  }
}

/// The OIDC token of a web identity (EKS IRSA mounts it and rotates it): read at every call.
enum WebIdentityToken {
  static func read(_ path: String, secrets: SecretRegistry) throws(CredentialsError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .webIdentity(reason: "cannot read the token file \(path)")
    }
    let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty else { throw .webIdentity(reason: "the token file \(path) is empty") }
    secrets.register(token)
    return token
  }
}
