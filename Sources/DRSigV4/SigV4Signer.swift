import DRCrypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Signs requests for one service in one region with one set of credentials.
///
/// Pure and `Sendable`: no clock, no I/O. The signing date is always a parameter. Each stage of the
/// specification is its own function: ``canonicalRequest(for:extraHeaders:extraQuery:payload:)``,
/// ``stringToSign(canonicalRequest:timestamp:scope:)``, ``signingKey(for:)`` and
/// ``signature(stringToSign:key:)``; ``signHeaders(_:payload:date:signingKey:)`` and
/// ``presign(_:payload:expires:date:signingKey:)`` put them together.
public struct SigV4Signer: Sendable {
  public let credentials: SigV4Credentials
  /// The signing name of the service, e.g. `s3`.
  public let service: String
  /// The region, e.g. `us-east-1`.
  public let region: String
  public let options: SigV4Options

  public init(credentials: SigV4Credentials, service: String, region: String, options: SigV4Options = .standard) {
    self.credentials = credentials
    self.service = service
    self.region = region
    self.options = options
  }

  /// The credential scope on the UTC day of `date`.
  public func scope(for date: Date) -> SigV4Scope {
    SigV4Scope(day: SigV4Timestamp(date).day, region: region, service: service)
  }

  /// Task 3: the signing key for the UTC day of `date`. Keep it to skip the derivation on later calls.
  public func signingKey(for date: Date) -> SigV4SigningKey {
    SigV4SigningKey(credentials: credentials, scope: scope(for: date))
  }

  /// `cached` when it is for these credentials and `scope`, a freshly derived key otherwise.
  func signingKey(_ cached: SigV4SigningKey?, scope: SigV4Scope) -> SigV4SigningKey {
    if let cached, cached.matches(accessKeyID: credentials.accessKeyID, scope: scope) { return cached }
    return SigV4SigningKey(credentials: credentials, scope: scope)
  }

  /// The canonical URI of a wire path, following ``SigV4Options/normalizePath`` and
  /// ``SigV4Options/pathEncoding``.
  public func canonicalURI(path: String) throws(SigV4Error) -> String {
    let path = path.isEmpty ? "/" : path
    guard path.hasPrefix("/") else { throw .pathNotAbsolute(path) }
    switch options.pathEncoding {
    case .double:
      return SigV4.uriEncode(options.normalizePath ? SigV4.normalizedPath(path) : path, encodeSlash: false)
    case .single:
      guard SigV4.isEncodedPath(path) else { throw .pathNotEncoded(path) }
      return options.normalizePath ? SigV4.normalizedPath(path) : path
    }
  }

  /// Task 1: the canonical request of `request` plus the headers and query parameters the signer adds.
  /// Headers in ``unsignedHeaderNames`` are left out.
  public func canonicalRequest(
    for request: SigV4Request, extraHeaders: [SigV4Header] = [], extraQuery: [SigV4QueryItem] = [],
    payload: SigV4Payload
  ) throws(SigV4Error) -> SigV4CanonicalRequest {
    SigV4CanonicalRequest(
      method: request.method, uri: try canonicalURI(path: request.path), query: request.query + extraQuery,
      headers: SigV4CanonicalHeaders(Self.signable(request.headers) + extraHeaders), payloadHash: payload.hash)
  }

  /// Task 2: `AWS4-HMAC-SHA256`, the timestamp, the scope and the canonical request's hash, one a line.
  public func stringToSign(
    canonicalRequest: SigV4CanonicalRequest, timestamp: SigV4Timestamp, scope: SigV4Scope
  ) -> String {
    [SigV4.algorithm, timestamp.amzDate, scope.string, canonicalRequest.hash].joined(separator: "\n")
  }

  /// Task 4: the lowercase hex HMAC-SHA256 of `stringToSign` under `key`.
  public func signature(stringToSign: String, key: SigV4SigningKey) -> String {
    HMAC.sha256(key: key.bytes, message: stringToSign).hex
  }

  /// Tasks 2 and 4 on a canonical request: its string to sign and signature.
  func sign(
    _ canonical: SigV4CanonicalRequest, timestamp: SigV4Timestamp, scope: SigV4Scope, key: SigV4SigningKey
  ) -> (stringToSign: String, signature: String) {
    let stringToSign = stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
    return (stringToSign, signature(stringToSign: stringToSign, key: key))
  }

  /// Header names never signed: the signature itself and what HTTP clients and proxies add or rewrite.
  public static let unsignedHeaderNames: Set<String> = [
    "authorization", "connection", "expect", "user-agent", "x-amzn-trace-id",
  ]

  static func signable(_ headers: [SigV4Header]) -> [SigV4Header] {
    headers.filter { !unsignedHeaderNames.contains($0.name.lowercased()) }
  }
}
