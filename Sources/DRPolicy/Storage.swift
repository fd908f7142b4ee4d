import DRCore

/// An S3-compatible destination and how to reach it.
public struct StorageSettings: Sendable, Equatable {
  public enum Addressing: String, Sendable, CaseIterable {
    case path, virtual
  }

  public enum ServerSideEncryption: Sendable, Equatable {
    case aes256
    case kms(keyID: String?)
  }

  public var location: S3Location
  public var region: String?
  /// A custom endpoint (`http://127.0.0.1:7480`); nil means AWS's regional endpoint.
  public var endpoint: String?
  public var addressing: Addressing?
  public var credentials: CredentialsSettings?
  public var storageClass: String?
  public var serverSideEncryption: ServerSideEncryption?
  /// A PEM file of CA certificates for an endpoint with a private CA.
  public var caBundle: String?
  /// A bandwidth cap for uploads and downloads together, bytes per second (`max_rate`).
  public var maxRate: Int64?
  /// More destinations written in the same pass.
  public var copies: [StorageSettings]
  /// When data uploads carry Content-MD5 (`content_md5`); nil is `auto`.
  public var contentMD5: ContentMD5Setting? = nil

  /// Path style on a custom endpoint, virtual-hosted style on AWS, unless set.
  public var effectiveAddressing: Addressing {
    addressing ?? (endpoint == nil ? .virtual : .path)
  }
}

/// `storage.content_md5`: when data uploads (PutObject, UploadPart) carry Content-MD5.
/// Their signed SHA-256 payload hash already makes a server that checks it refuse a
/// corrupted body; MD5 costs 2.4 times that hash. Writes with Object Lock retention, and
/// buckets that ask for it, always get it.
public enum ContentMD5Setting: String, Sendable, CaseIterable {
  /// `when_required` on AWS S3 (which checks the payload hash); on other endpoints
  /// `when_required` once a probe saw the bucket's server refuse a body that differs from
  /// its signed hash, `always` until then and when it did not.
  case auto
  /// Every data upload: for servers that may not check the signed payload hash.
  case always
  /// Only where S3 requires it (Object Lock).
  case whenRequired = "when_required"
}

/// Where the keys come from. Nil in the policy means the AWS default chain.
public enum CredentialsSettings: Sendable, Equatable, CustomStringConvertible {
  /// A profile of the shared AWS files (`~/.aws/credentials`, `~/.aws/config`).
  case profile(String)
  /// Keys written in the policy, normally as `${VAR}`.
  case keys(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret?)
  /// A role assumed through STS: `{role_arn: …, source: …}`.
  indirect case role(RoleSettings)

  public var description: String {
    switch self {
    case .profile(let name): "profile \(name)"
    case .keys(let id, _, _): "keys from the policy (access key \(id))"
    case .role(let role): "role \(role.roleARN)"
    }
  }
}

/// `credentials: {role_arn, source | web_identity_token_file, external_id, role_session_name,
/// duration_seconds}`: a role (often in another account) assumed through STS.
public struct RoleSettings: Sendable, Equatable {
  public enum Authority: Sendable, Equatable {
    /// `AssumeRole` signed with these credentials; nil: the AWS default chain.
    indirect case credentials(CredentialsSettings?)
    /// `AssumeRoleWithWebIdentity` with the OIDC token in this file.
    case webIdentity(tokenFile: String)
  }

  public var roleARN: String
  public var authority: Authority
  public var externalID: String?
  public var sessionName: String?
  public var durationSeconds: Int?

  public init(
    roleARN: String, authority: Authority = .credentials(nil), externalID: String? = nil, sessionName: String? = nil,
    durationSeconds: Int? = nil
  ) {
    self.roleARN = roleARN
    self.authority = authority
    self.externalID = externalID
    self.sessionName = sessionName
    self.durationSeconds = durationSeconds
  }
}

/// Storage keys an environment overrides; nil keeps the policy's value.
public struct StorageOverride: Sendable, Equatable {
  public var location: S3Location?
  public var region: String?
  public var endpoint: String?
  public var addressing: StorageSettings.Addressing?
  public var credentials: CredentialsSettings?
  public var storageClass: String?
  public var serverSideEncryption: StorageSettings.ServerSideEncryption?
  public var caBundle: String?
  public var maxRate: Int64?
  public var copies: [StorageSettings]?
  public var contentMD5: ContentMD5Setting?

  public func applied(to base: StorageSettings) -> StorageSettings {
    var result = base
    if let location { result.location = location }
    if let region { result.region = region }
    if let endpoint { result.endpoint = endpoint }
    if let addressing { result.addressing = addressing }
    if let credentials { result.credentials = credentials }
    if let storageClass { result.storageClass = storageClass }
    if let serverSideEncryption { result.serverSideEncryption = serverSideEncryption }
    if let caBundle { result.caBundle = caBundle }
    if let maxRate { result.maxRate = maxRate }
    if let contentMD5 { result.contentMD5 = contentMD5 }
    if let copies { result.copies = copies }
    return result
  }
}
