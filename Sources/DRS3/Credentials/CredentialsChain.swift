import DRCore

/// Which source supplies the keys, in the AWS CLI's order.
extension S3AccessResolver {
  func credentialsProvider(
    _ source: CredentialsSource, profile: (name: String, namedBy: String?), files: SharedFilesLoader,
    sts: STSContext
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
      guard let resolved = try await profileCredentials(found, files: files, sts: sts) else {
        throw CredentialsError.profileWithoutKeys(name: name, files: found.files)
      }
      return resolved
    case .role(let role, let authority):
      return try await assumedRole(role, authority: try await resolve(authority, files: files, sts: sts), sts: sts)
    case .chain:
      return try await chain(profile: profile, files: files, sts: sts)
    }
  }

  private func resolve(
    _ authority: RoleAuthority, files: SharedFilesLoader, sts: STSContext
  ) async throws -> ResolvedAuthority {
    switch authority {
    case .webIdentity(let file): return .webIdentity(tokenFile: file)
    case .credentials(let source):
      let (provider, description) = try await credentialsProvider(
        source, profile: profileName(for: source), files: files, sts: sts)
      return .signer(provider, description: description)
    }
  }

  /// Environment keys, the shared profile's role, web identity (`AWS_ROLE_ARN` and
  /// `AWS_WEB_IDENTITY_TOKEN_FILE`, as EKS IRSA sets them), the shared profile's keys,
  /// container credentials, EC2 instance metadata (botocore's order). The first source that
  /// is configured decides; a configured source that fails is an error, except EC2
  /// metadata, whose absence is the normal case off EC2.
  private func chain(
    profile: (name: String, namedBy: String?), files: SharedFilesLoader, sts: STSContext
  ) async throws -> (any S3CredentialsProvider, String) {
    var tried: [String] = []
    if let keys = try StaticKeys.environment(environment, secrets: secrets) {
      return (StaticCredentialsProvider(keys), keys.source)
    }
    tried.append("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
    let found = try files.profile(profile.name)
    if let found, found.value("role_arn") != nil,
      let resolved = try await profileCredentials(found, files: files, sts: sts)
    {
      return resolved
    }
    if let webIdentity = try environmentWebIdentity() {
      return try await assumedRole(webIdentity.role, authority: .webIdentity(tokenFile: webIdentity.file), sts: sts)
    }
    if let found {
      if let resolved = try await profileCredentials(found, files: files, sts: sts) { return resolved }
      tried.append("profile \(profile.name) in \(found.files.joined(separator: ", ")): no aws_access_key_id")
    } else if let namedBy = profile.namedBy {
      throw CredentialsError.profileNotFound(name: profile.name, namedBy: namedBy, files: files.paths)
    } else {
      tried.append("profile default: not in \(files.paths.joined(separator: " or "))")
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

  /// `AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE` (+ `AWS_ROLE_SESSION_NAME`); nil when
  /// neither is set, an error when only one is.
  func environmentWebIdentity() throws(CredentialsError) -> (role: RoleParameters, file: String)? {
    switch (environment.nonEmpty("AWS_ROLE_ARN"), environment.nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE")) {
    case (nil, nil): return nil
    case (nil, _): throw .webIdentity(reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
    case (_, nil): throw .webIdentity(reason: "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not")
    case (let arn?, let file?):
      return (RoleParameters(roleARN: arn, sessionName: environment.nonEmpty("AWS_ROLE_SESSION_NAME")), file)
    }
  }

  func containerCredentials() throws(CredentialsError) -> ContainerCredentials? {
    guard let url = try ContainerCredentials.url(from: environment, relativeBase: metadata.containerHost) else {
      return nil
    }
    return ContainerCredentials(
      url: url, authorization: ContainerCredentials.authorization(from: environment, secrets: secrets),
      client: metadataClient, secrets: secrets)
  }

  func instanceMetadataCredentials() -> InstanceMetadataCredentials? {
    guard let endpoint = InstanceMetadataCredentials.endpoint(from: environment) else { return nil }
    let v1Disabled = environment.nonEmpty("AWS_EC2_METADATA_V1_DISABLED")?.lowercased() == "true"
    return InstanceMetadataCredentials(
      endpoint: endpoint, allowV1: !v1Disabled, client: metadataClient, secrets: secrets)
  }

  private var metadataClient: MetadataClient { MetadataClient(http: httpClient, timeout: metadata.timeout) }

  /// Fetches once now (so a broken source is reported at once), then caches and refreshes.
  func temporary(
    _ source: String, _ fetch: @escaping @Sendable () async throws -> S3Credentials
  ) async throws -> (any S3CredentialsProvider, String) {
    let first = try await fetch()
    let provider = RefreshingCredentialsProvider(
      source: source, initial: first, refreshMargin: metadata.refreshMargin, now: now, fetch: fetch)
    return (provider, first.source)
  }
}
