/// Everything that can go wrong while signing. No case carries a secret, a token or a header value.
public enum SigV4Error: Error, Sendable, Equatable, CustomStringConvertible {
  /// A presigned URL must be valid for 1 second to 7 days (``SigV4/maximumPresignExpiry``).
  case expiryOutOfRange(seconds: Int)
  /// The request has no `Host` header; SigV4 always signs it.
  case missingHost
  /// A header name is empty or holds characters outside the HTTP token set.
  case invalidHeaderName(String)
  /// The request already carries a header or query parameter the signer sets itself.
  case reservedName(String)
  /// The path does not start with `/`.
  case pathNotAbsolute(String)
  /// With ``SigV4Options/PathEncoding/single`` the path must already be encoded once
  /// (see ``SigV4/uriEncode(_:encodeSlash:)``); this one holds characters that would be encoded.
  case pathNotEncoded(String)

  public var description: String {
    switch self {
    case .expiryOutOfRange(let seconds):
      "presign expiry of \(seconds) s is outside 1...\(SigV4.maximumPresignExpiry) s (7 days)"
    case .missingHost: "the request to sign has no Host header"
    case .invalidHeaderName(let name): "invalid HTTP header name \"\(name)\""
    case .reservedName(let name): "\"\(name)\" is set by the signer and must not be in the request"
    case .pathNotAbsolute(let path): "request path \"\(path)\" does not start with /"
    case .pathNotEncoded(let path):
      "request path \"\(path)\" is not URI-encoded; encode it once with SigV4.uriEncode(_:encodeSlash: false)"
    }
  }
}
