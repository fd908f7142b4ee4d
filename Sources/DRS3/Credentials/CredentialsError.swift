import DRCore

/// Why no credentials, region or endpoint could be resolved. Descriptions say what was
/// looked at and how to fix it, and never contain a secret (they are redacted too).
public enum CredentialsError: DRError, Equatable {
  /// A profile named in the policy or by `AWS_PROFILE` is in neither shared file.
  case profileNotFound(name: String, namedBy: String, files: [String])
  /// A profile named in the policy exists but holds no keys.
  case profileWithoutKeys(name: String, files: [String])
  /// A profile gets its keys in a way dr does not implement (SSO, a process).
  case unsupportedProfile(name: String, settings: [String], file: String)
  /// An access key without its secret, or the other way round.
  case partialCredentials(source: String, missing: String)
  case malformedFile(path: String, line: Int, reason: String)
  case unreadableFile(path: String, reason: String)
  /// The whole chain came up empty; one line per source tried.
  case noCredentials(tried: [String])
  case invalidContainerURI(String, reason: String)
  /// An endpoint URL that is not http or https.
  case invalidEndpoint(String, source: String)
  /// A metadata service (container, EC2) did not hand out credentials.
  case fetchFailed(source: String, reason: String)
  /// STS refused or failed to hand out the role's credentials.
  case roleFailed(roleARN: String, action: String, endpoint: String, reason: String)
  /// A profile's role settings cannot be used (no source, a loop, an unknown credential_source).
  case invalidRoleProfile(name: String, reason: String)
  /// Web identity settings that cannot be used (a token file missing or empty, half the variables).
  case webIdentity(reason: String)

  public var exitStatus: ExitStatus { .failure }
  public var errorCode: String { "credentials." + ErrorCodeName.caseName(self) }

  public var description: String { text.redacted }

  private var text: String {
    switch self {
    case .profileNotFound(let name, let namedBy, let files):
      "AWS profile '\(name)' (named by \(namedBy)) is not in \(Self.list(files)); "
        + "add a [\(Self.section(name, config: false))] section to the credentials file "
        + "or [\(Self.section(name, config: true))] to the config file, or name another profile"
    case .profileWithoutKeys(let name, let files):
      "AWS profile '\(name)' has no aws_access_key_id and aws_secret_access_key in \(Self.list(files))"
    case .unsupportedProfile(let name, let settings, let file):
      "AWS profile '\(name)' in \(file) gets its keys through \(settings.joined(separator: ", ")), "
        + "which dr does not support; give the profile aws_access_key_id and aws_secret_access_key, "
        + "or use keys, a role (role_arn), container or instance credentials"
    case .partialCredentials(let source, let missing):
      "incomplete AWS credentials in \(source): \(missing) is missing"
    case .malformedFile(let path, let line, let reason):
      "\(path):\(line): \(reason)"
    case .unreadableFile(let path, let reason):
      "cannot read \(path): \(reason)"
    case .noCredentials(let tried):
      "no AWS credentials found. Tried, in order:\n"
        + tried.map { "  - \($0)" }.joined(separator: "\n")
        + "\nSet storage.credentials in the policy (a profile, or keys as ${VARIABLES}), export "
        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [default] profile to ~/.aws/credentials."
    case .invalidContainerURI(let uri, let reason):
      "container credentials URI \(uri) cannot be used: \(reason)"
    case .invalidEndpoint(let url, let source):
      "the S3 endpoint \(url) from \(source) is not an http:// or https:// URL"
    case .fetchFailed(let source, let reason):
      "could not get credentials from \(source): \(reason)"
    case .roleFailed(let roleARN, let action, let endpoint, let reason):
      "could not assume role \(roleARN) (STS \(action) at \(endpoint)): \(reason)"
    case .invalidRoleProfile(let name, let reason):
      "AWS profile '\(name)' cannot assume its role: \(reason)"
    case .webIdentity(let reason):
      "web identity credentials cannot be used: \(reason)"
    }
  }

  private static func list(_ files: [String]) -> String {
    files.count <= 1 ? files.joined() : files.dropLast().joined(separator: ", ") + " or " + files.last!
  }

  private static func section(_ name: String, config: Bool) -> String {
    config && name != "default" ? "profile \(name)" : name
  }
}
