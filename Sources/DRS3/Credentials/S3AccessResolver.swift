import DRCore
import DRHTTP
import Foundation

/// Resolves credentials, region and endpoint the way the AWS CLI does, from inputs given
/// to it rather than read from the process: several resolvers (production, the
/// failover's spare profile, tests) live side by side without global state.
public struct S3AccessResolver: Sendable {
  /// How the metadata services (container, EC2) are reached.
  public struct MetadataSettings: Sendable {
    /// The limit on each request, connection and answer together.
    public var timeout: Duration = .seconds(2)
    /// What `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
    public var containerHost = "http://169.254.170.2"
    /// Temporary keys are fetched again this long before they expire.
    public var refreshMargin: TimeInterval = 300

    public init() {}
  }

  public let environment: [String: String]
  public let credentialsFile: String
  public let configFile: String
  public let httpClient: HTTPClient
  /// For STS (assumed roles): ordinary limits, `AWS_CA_BUNDLE`, the environment's proxy.
  public let stsHTTPClient: HTTPClient
  public let now: @Sendable () -> Date
  public let secrets: SecretRegistry
  public let metadata: MetadataSettings

  /// - Parameters:
  ///   - environment: the variables to read (`ProcessInfo.processInfo.environment` in dr).
  ///   - homeDirectory: where `~/.aws` is; `HOME` from `environment` by default.
  ///   - httpClient: for the metadata services; one with a 1 s connect timeout by default.
  ///   - stsHTTPClient: for STS; one with ordinary limits by default.
  ///   - now: the clock temporary keys' expiry is judged by.
  ///   - secrets: where every key and token loaded is registered, so it is never printed.
  public init(
    environment: [String: String], homeDirectory: String? = nil, httpClient: HTTPClient? = nil,
    stsHTTPClient: HTTPClient? = nil,
    now: @escaping @Sendable () -> Date = Date.init, secrets: SecretRegistry = .shared,
    metadata: MetadataSettings = MetadataSettings()
  ) {
    let home = homeDirectory ?? environment.nonEmpty("HOME") ?? NSHomeDirectory()
    self.environment = environment
    self.credentialsFile = Self.path(environment.nonEmpty("AWS_SHARED_CREDENTIALS_FILE"), home, ".aws/credentials")
    self.configFile = Self.path(environment.nonEmpty("AWS_CONFIG_FILE"), home, ".aws/config")
    self.httpClient = httpClient ?? HTTPClient(configuration: Self.metadataHTTPConfiguration)
    var sts = HTTPClientConfiguration()
    sts.caBundle = environment.nonEmpty("AWS_CA_BUNDLE")
    self.stsHTTPClient = stsHTTPClient ?? HTTPClient(configuration: sts)
    self.now = now
    self.secrets = secrets
    self.metadata = metadata
  }

  /// Short limits: a host without a metadata service must fail in about a second.
  public static var metadataHTTPConfiguration: HTTPClientConfiguration {
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = 1
    configuration.lowSpeedTime = 2
    configuration.maxIdleHandles = 2
    // Metadata services are link-local: a proxy from the environment must not see them.
    configuration.noProxy = "*"
    return configuration
  }

  /// Resolves one destination's access. `region` and `endpoint` are the policy's, which
  /// win over everything else; temporary credentials are fetched once here, so a missing
  /// metadata service is reported now rather than at the first upload.
  public func resolve(
    credentials source: CredentialsSource = .chain, region: String? = nil, endpoint: String? = nil
  ) async throws -> S3Access {
    let files = SharedFilesLoader(credentialsPath: credentialsFile, configPath: configFile)
    let profile = profileName(for: source)
    let region = try resolveRegion(explicit: region, profile: profile.name, files: files)
    let endpoint = try resolveEndpoint(explicit: endpoint, profile: profile.name, files: files)
    let sts = try stsContext(region: region.value, storageEndpoint: endpoint.value)
    let (provider, description) = try await credentialsProvider(source, profile: profile, files: files, sts: sts)
    return S3Access(
      credentials: provider, credentialsSource: description, region: region.value, regionSource: region.source,
      endpoint: endpoint.value, endpointSource: endpoint.source)
  }

  /// The profile that supplies settings: the policy's (a role's source profile), else
  /// `AWS_PROFILE`, else `default`.
  func profileName(for source: CredentialsSource) -> (name: String, namedBy: String?) {
    if case .profile(let name) = source { return (name, "the policy") }
    if case .role(_, .credentials(let inner)) = source { return profileName(for: inner) }
    if let name = environment.nonEmpty("AWS_PROFILE") { return (name, "AWS_PROFILE") }
    return ("default", nil)
  }

  private static func path(_ configured: String?, _ home: String, _ relative: String) -> String {
    guard let configured else { return home + "/" + relative }
    if configured == "~" { return home }
    if configured.hasPrefix("~/") { return home + configured.dropFirst() }
    return configured
  }
}

/// Reads the shared files the first time a resolution needs them, at most once.
final class SharedFilesLoader {
  let credentialsPath: String
  let configPath: String
  private var loaded: SharedFiles?

  init(credentialsPath: String, configPath: String) {
    self.credentialsPath = credentialsPath
    self.configPath = configPath
  }

  var paths: [String] { [credentialsPath, configPath] }

  func files() throws(CredentialsError) -> SharedFiles {
    if let loaded { return loaded }
    let files = try SharedFiles.load(credentialsPath: credentialsPath, configPath: configPath)
    loaded = files
    return files
  }

  func profile(_ name: String) throws(CredentialsError) -> SharedProfile? {
    try files().profile(name)
  }
}
