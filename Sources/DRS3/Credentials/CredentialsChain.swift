import DRCore

/// Which source supplies the keys, in the AWS CLI's order.
extension S3AccessResolver {
  func credentialsProvider(
    _ source: CredentialsSource, profile: (name: String, namedBy: String?), files: SharedFilesLoader
  ) async throws -> (any S3CredentialsProvider, String) {
    switch source {
    case .keys(let id, let secret, let token):
      secrets.register(secret.value)
      secrets.register(token?.value)
      let keys = S3Credentials(
        accessKeyID: id, secretAccessKey: secret.value, sessionToken: token?.value, source: "keys from the policy")
      return (StaticCredentialsProvider(keys), keys.source)
    case .profile(let name):
      guard let found = try files.profile(name) else {
        throw CredentialsError.profileNotFound(name: name, namedBy: "the policy", files: files.paths)
      }
      guard let keys = try StaticKeys.profile(found, secrets: secrets) else {
        throw CredentialsError.profileWithoutKeys(name: name, files: found.files)
      }
      return (StaticCredentialsProvider(keys), keys.source)
    case .chain:
      return try await chain(profile: profile, files: files)
    }
  }

  /// Environment keys, the shared profile, container credentials, EC2 instance metadata.
  /// The first source that is configured decides; a configured source that fails is an
  /// error, except EC2 metadata, whose absence is the normal case off EC2.
  private func chain(
    profile: (name: String, namedBy: String?), files: SharedFilesLoader
  ) async throws -> (any S3CredentialsProvider, String) {
    var tried: [String] = []
    if let keys = try StaticKeys.environment(environment, secrets: secrets) {
      return (StaticCredentialsProvider(keys), keys.source)
    }
    tried.append("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
    if let found = try files.profile(profile.name) {
      if let keys = try StaticKeys.profile(found, secrets: secrets) {
        return (StaticCredentialsProvider(keys), keys.source)
      }
      tried.append("profile \(profile.name) in \(found.files.joined(separator: ", ")): no aws_access_key_id")
    } else if let namedBy = profile.namedBy {
      throw CredentialsError.profileNotFound(name: profile.name, namedBy: namedBy, files: files.paths)
    } else {
      tried.append("profile default: not in \(files.paths.joined(separator: " or "))")
    }
    if environment.nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE") != nil {
      tried.append("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set, but dr does not support web identity roles")
    }
    if let container = try containerCredentials() {
      return try await temporary(container.source, container.fetch)
    }
    tried.append("container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")
    guard let instance = instanceMetadataCredentials() else {
      tried.append("EC2 instance metadata: disabled by AWS_EC2_METADATA_DISABLED")
      throw CredentialsError.noCredentials(tried: tried)
    }
    do {
      return try await temporary(instance.source, instance.fetch)
    } catch CredentialsError.fetchFailed(_, let reason) {
      tried.append("EC2 instance metadata at \(instance.endpoint): \(reason)")
      throw CredentialsError.noCredentials(tried: tried)
    }
  }

  private func containerCredentials() throws(CredentialsError) -> ContainerCredentials? {
    guard let url = try ContainerCredentials.url(from: environment, relativeBase: metadata.containerHost) else {
      return nil
    }
    return ContainerCredentials(
      url: url, authorization: ContainerCredentials.authorization(from: environment, secrets: secrets),
      client: metadataClient, secrets: secrets)
  }

  private func instanceMetadataCredentials() -> InstanceMetadataCredentials? {
    guard let endpoint = InstanceMetadataCredentials.endpoint(from: environment) else { return nil }
    let v1Disabled = environment.nonEmpty("AWS_EC2_METADATA_V1_DISABLED")?.lowercased() == "true"
    return InstanceMetadataCredentials(
      endpoint: endpoint, allowV1: !v1Disabled, client: metadataClient, secrets: secrets)
  }

  private var metadataClient: MetadataClient { MetadataClient(http: httpClient, timeout: metadata.timeout) }

  /// Fetches once now (so a broken source is reported at once), then caches and refreshes.
  private func temporary(
    _ source: String, _ fetch: @escaping @Sendable () async throws -> S3Credentials
  ) async throws -> (any S3CredentialsProvider, String) {
    let first = try await fetch()
    let provider = RefreshingCredentialsProvider(
      source: source, initial: first, refreshMargin: metadata.refreshMargin, now: now, fetch: fetch)
    return (provider, first.source)
  }
}
