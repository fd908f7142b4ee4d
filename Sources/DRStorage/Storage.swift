import DRHTTP
import DRPolicy
import DRS3
import Foundation

/// One destination of a policy, connected: the client (endpoint, region, credentials),
/// the bucket and prefix, and how objects are written there.
public struct Storage: Sendable, CustomStringConvertible {
  public let client: S3Client
  public let location: S3Location
  public let putOptions: S3PutOptions
  public let access: S3Access

  public var bucket: String { location.bucket }
  /// The policy's prefix: objects live under `prefix + NAME/...`.
  public var prefix: String { location.prefix }

  public var description: String { "\(location) (\(access))" }
}

/// Connects a policy's storage settings: credentials through the AWS chain (or the
/// policy's profile or keys), region and endpoint as the AWS CLI resolves them.
public struct StorageConnector: Sendable {
  public let resolver: S3AccessResolver
  public let http: HTTPClient
  public let retry: RetryPolicy
  /// `AWS_CA_BUNDLE`, as the AWS CLI reads it: the default CA file for every endpoint.
  let defaultCABundle: String?

  public init(
    environment: [String: String] = ProcessInfo.processInfo.environment, http: HTTPClient? = nil,
    retry: RetryPolicy? = nil
  ) {
    self.resolver = S3AccessResolver(environment: environment)
    self.defaultCABundle = environment["AWS_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
    self.http = http ?? HTTPClient(configuration: Self.configuration(caBundle: defaultCABundle))
    self.retry = retry ?? Self.retryPolicy(environment)
  }

  /// The retry budget: 8 attempts within 120 s, unless `DR_S3_RETRY_ATTEMPTS` or
  /// `DR_S3_RETRY_SECONDS` say otherwise (an outage longer than that fails the operation).
  static func retryPolicy(_ environment: [String: String]) -> RetryPolicy {
    var policy = RetryPolicy()
    if let attempts = environment["DR_S3_RETRY_ATTEMPTS"].flatMap({ Int($0) }), attempts >= 1 {
      policy.maxAttempts = attempts
    }
    if let seconds = environment["DR_S3_RETRY_SECONDS"].flatMap({ Double($0) }), seconds >= 0 {
      policy.maxElapsed = seconds
      policy.maxDelay = min(policy.maxDelay, max(0.1, seconds / 4))
    }
    return policy
  }

  static func configuration(caBundle: String?, maxRate: Int64? = nil) -> HTTPClientConfiguration {
    var configuration = HTTPClientConfiguration()
    configuration.caBundle = caBundle
    configuration.maxRate = maxRate
    return configuration
  }

  /// `objectLock`: the policy's `retention.lock`; new objects are retained `days` from now.
  public func connect(_ settings: StorageSettings, objectLock: ObjectLockSettings? = nil) async throws -> Storage {
    let access = try await resolver.resolve(
      credentials: Self.source(settings.credentials), region: settings.region, endpoint: settings.endpoint)
    let endpoint = try S3Endpoint(
      url: access.endpoint, region: access.region,
      addressing: settings.addressing.map { $0 == .path ? .path : .virtual })
    // A storage with its own CA file or bandwidth cap gets a client of its own (the cap is
    // the storage's, shared by its transfers alone); the others share one pool.
    let transport =
      settings.caBundle == nil && settings.maxRate == nil
      ? http
      : HTTPClient(
        configuration: Self.configuration(caBundle: settings.caBundle ?? defaultCABundle, maxRate: settings.maxRate))
    let client = S3Client(
      endpoint: endpoint, credentials: access.credentials, http: transport, retry: retry,
      contentMD5: Self.contentMD5(settings.contentMD5 ?? .auto, endpoint: endpoint))
    var options = Self.putOptions(settings)
    options.objectLock = objectLock.map {
      S3ObjectLock(
        mode: $0.mode == .compliance ? .compliance : .governance,
        retainUntil: Date().addingTimeInterval(TimeInterval($0.days) * 86_400))
    }
    return Storage(client: client, location: settings.location, putOptions: options, access: access)
  }

  /// A client without a policy (`dr s3`): the environment's chain, region and endpoint.
  public func connectDefault(addressing: S3Endpoint.Addressing? = nil) async throws -> (S3Client, S3Access) {
    let access = try await resolver.resolve()
    let endpoint = try S3Endpoint(url: access.endpoint, region: access.region, addressing: addressing)
    let client = S3Client(
      endpoint: endpoint, credentials: access.credentials, http: http, retry: retry,
      contentMD5: Self.contentMD5(.auto, endpoint: endpoint))
    return (client, access)
  }

  /// `content_md5` for `endpoint`: `auto` leaves it out of data uploads on AWS S3, the one
  /// server dr knows checks the signed payload hash of every request, and on any other
  /// once a probe saw the bucket's server refuse a body that differs from its signed hash.
  public static func contentMD5(_ setting: ContentMD5Setting, endpoint: S3Endpoint) -> ContentMD5Use {
    switch setting {
    case .always: .always
    case .whenRequired: .whenRequired
    case .auto: endpoint.isAWS ? .whenRequired : .unlessPayloadHashChecked
    }
  }

  static func source(_ settings: CredentialsSettings?) -> CredentialsSource {
    switch settings {
    case nil: .chain
    case .profile(let name): .profile(name)
    case .keys(let id, let secret, let token): .keys(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    case .role(let role):
      .role(
        RoleParameters(
          roleARN: role.roleARN, externalID: role.externalID, sessionName: role.sessionName,
          durationSeconds: role.durationSeconds),
        authority: authority(role.authority))
    }
  }

  static func authority(_ authority: RoleSettings.Authority) -> RoleAuthority {
    switch authority {
    case .credentials(let source): .credentials(Self.source(source))
    case .webIdentity(let file): .webIdentity(tokenFile: file)
    }
  }

  static func putOptions(_ settings: StorageSettings) -> S3PutOptions {
    let encryption: S3PutOptions.ServerSideEncryption? =
      switch settings.serverSideEncryption {
      case nil: nil
      case .aes256: .aes256
      case .kms(let keyID): .kms(keyID: keyID)
      }
    return S3PutOptions(storageClass: settings.storageClass, serverSideEncryption: encryption)
  }
}
