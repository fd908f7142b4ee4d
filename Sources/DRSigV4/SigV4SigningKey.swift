import DRCrypto

/// The credential scope: the day, region and service a signature is valid for.
public struct SigV4Scope: Sendable, Hashable {
  /// `yyyyMMdd` (UTC).
  public let day: String
  public let region: String
  public let service: String

  /// `day/region/service/aws4_request`.
  public var string: String { "\(day)/\(region)/\(service)/\(SigV4.scopeTerminator)" }
}

/// The signing key of one access key for one scope (`kSigning` in the specification).
///
/// Deriving it costs four HMACs; it only changes with the day, so callers may keep one and pass it
/// back to the signer, which uses it when access key and scope match and derives a fresh one otherwise.
/// Its bytes never appear in `description`, `debugDescription` or `dump`.
public struct SigV4SigningKey: Sendable, Equatable {
  public let accessKeyID: String
  public let scope: SigV4Scope
  let bytes: [UInt8]

  /// Derives `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
  public init(credentials: SigV4Credentials, scope: SigV4Scope) {
    let dateKey = HMAC.sha256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), message: scope.day)
    let regionKey = HMAC.sha256(key: dateKey, message: scope.region)
    let serviceKey = HMAC.sha256(key: regionKey, message: scope.service)
    accessKeyID = credentials.accessKeyID
    self.scope = scope
    bytes = HMAC.sha256(key: serviceKey, message: SigV4.scopeTerminator)
  }

  /// Whether this key signs for `accessKeyID` in `scope`.
  public func matches(accessKeyID: String, scope: SigV4Scope) -> Bool {
    self.accessKeyID == accessKeyID && self.scope == scope
  }
}

extension SigV4SigningKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var description: String { "SigV4SigningKey(\(accessKeyID)/\(scope.string), <redacted>)" }
  public var debugDescription: String { description }
  public var customMirror: Mirror {
    Mirror(self, children: ["accessKeyID": accessKeyID, "scope": scope], displayStyle: .struct)
  }
}
