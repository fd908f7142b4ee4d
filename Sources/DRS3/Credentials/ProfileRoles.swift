import DRCore

/// A shared profile's credentials, the way the AWS CLI reads them: a role (`role_arn` with
/// `source_profile`, `credential_source` or `web_identity_token_file`) before keys.
extension S3AccessResolver {
  /// Nil when the profile has neither a role nor keys.
  func profileCredentials(
    _ profile: SharedProfile, files: SharedFilesLoader, sts: STSContext, visited: [String] = []
  ) async throws -> (any S3CredentialsProvider, String)? {
    guard let roleARN = profile.value("role_arn") else {
      guard let keys = try StaticKeys.profile(profile, secrets: secrets) else { return nil }
      return (StaticCredentialsProvider(keys), keys.source)
    }
    let role = try Self.roleParameters(profile, roleARN: roleARN)
    let authority = try await authority(of: profile, files: files, sts: sts, visited: visited + [profile.name])
    return try await assumedRole(role, authority: authority, sts: sts)
  }

  static func roleParameters(_ profile: SharedProfile, roleARN: String) throws(CredentialsError) -> RoleParameters {
    var duration: Int?
    if let text = profile.value("duration_seconds") {
      guard let seconds = Int(text), seconds > 0 else {
        throw .invalidRoleProfile(name: profile.name, reason: "duration_seconds \(text) is not a number of seconds")
      }
      duration = seconds
    }
    return RoleParameters(
      roleARN: roleARN, externalID: profile.value("external_id"), sessionName: profile.value("role_session_name"),
      durationSeconds: duration)
  }

  private func authority(
    of profile: SharedProfile, files: SharedFilesLoader, sts: STSContext, visited: [String]
  ) async throws -> ResolvedAuthority {
    let name = profile.name
    if let file = profile.value("web_identity_token_file") { return .webIdentity(tokenFile: file) }
    switch (profile.value("source_profile"), profile.value("credential_source")) {
    case (nil, nil):
      throw CredentialsError.invalidRoleProfile(
        name: name, reason: "role_arn needs source_profile, credential_source or web_identity_token_file")
    case (.some, .some):
      throw CredentialsError.invalidRoleProfile(
        name: name, reason: "give source_profile or credential_source, not both")
    case (let source?, nil):
      return try await sourceProfile(source, of: profile, files: files, sts: sts, visited: visited)
    case (nil, let source?):
      return try await credentialSource(source, profile: name)
    }
  }

  /// `source_profile`: its keys when it names the profile itself, else its credentials
  /// (a role of its own, chained, or keys).
  private func sourceProfile(
    _ source: String, of profile: SharedProfile, files: SharedFilesLoader, sts: STSContext, visited: [String]
  ) async throws -> ResolvedAuthority {
    if source == profile.name {
      guard let keys = try StaticKeys.profile(profile, secrets: secrets) else {
        throw CredentialsError.profileWithoutKeys(name: source, files: profile.files)
      }
      return .signer(StaticCredentialsProvider(keys), description: keys.source)
    }
    guard !visited.contains(source) else {
      throw CredentialsError.invalidRoleProfile(
        name: profile.name, reason: "source_profile makes a loop: \((visited + [source]).joined(separator: " -> "))")
    }
    guard let found = try files.profile(source) else {
      throw CredentialsError.profileNotFound(
        name: source, namedBy: "source_profile of profile \(profile.name)", files: files.paths)
    }
    guard let (provider, description) = try await profileCredentials(found, files: files, sts: sts, visited: visited)
    else {
      throw CredentialsError.profileWithoutKeys(name: source, files: found.files)
    }
    return .signer(provider, description: description)
  }

  /// `credential_source`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
  private func credentialSource(_ source: String, profile name: String) async throws -> ResolvedAuthority {
    switch source {
    case "Environment":
      guard let keys = try StaticKeys.environment(environment, secrets: secrets) else {
        throw CredentialsError.invalidRoleProfile(
          name: name, reason: "credential_source Environment, but AWS_ACCESS_KEY_ID is not set")
      }
      return .signer(StaticCredentialsProvider(keys), description: keys.source)
    case "Ec2InstanceMetadata":
      guard let instance = instanceMetadataCredentials() else {
        throw CredentialsError.invalidRoleProfile(
          name: name, reason: "credential_source Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED is true")
      }
      let (provider, description) = try await temporary(instance.source, instance.fetch)
      return .signer(provider, description: description)
    case "EcsContainer":
      guard let container = try containerCredentials() else {
        throw CredentialsError.invalidRoleProfile(
          name: name, reason: "credential_source EcsContainer, but no AWS_CONTAINER_CREDENTIALS_*_URI is set")
      }
      let (provider, description) = try await temporary(container.source, container.fetch)
      return .signer(provider, description: description)
    default:
      throw CredentialsError.invalidRoleProfile(
        name: name, reason: "credential_source \(source) is not Environment, Ec2InstanceMetadata or EcsContainer")
    }
  }
}
