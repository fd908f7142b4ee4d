#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The outcome of signing with the `Authorization` header, with every stage kept for inspection.
public struct SigV4HeaderSignature: Sendable {
  /// The headers to add to the request, in this order: `X-Amz-Security-Token` (temporary credentials),
  /// `X-Amz-Date`, `x-amz-content-sha256` (when ``SigV4Options/addContentSHA256Header``), `Authorization`.
  public let headers: [SigV4Header]
  public let canonicalRequest: SigV4CanonicalRequest
  public let stringToSign: String
  /// Lowercase hex.
  public let signature: String
  public let timestamp: SigV4Timestamp
  /// The key used; pass it back to later calls on the same day to skip its derivation.
  public let signingKey: SigV4SigningKey

  /// The value of the `Authorization` header.
  public var authorization: String {
    headers.last { $0.name == "Authorization" }?.value ?? ""
  }
}

extension SigV4Signer {
  /// Signs `request` for the `Authorization` header at `date`.
  ///
  /// The request must carry `Host` and must not carry the headers the signer adds (`Authorization`,
  /// `X-Amz-Date`, and `X-Amz-Security-Token` / `x-amz-content-sha256` when it adds them). Every
  /// other header is signed, except ``unsignedHeaderNames``; send them unchanged.
  /// - Parameter signingKey: a key from an earlier call, reused when its scope still matches.
  public func signHeaders(
    _ request: SigV4Request, payload: SigV4Payload, date: Date, signingKey cached: SigV4SigningKey? = nil
  ) throws(SigV4Error) -> SigV4HeaderSignature {
    let timestamp = SigV4Timestamp(date)
    let added = addedHeaders(payload: payload, timestamp: timestamp)
    let reserved = Set(added.map { $0.name.lowercased() } + ["authorization"])
    try validate(request, reservedHeaders: reserved, reservedQuery: [])
    let signed = options.omitSessionToken ? added.filter { $0.name != Self.tokenHeader } : added
    let scope = scope(for: date)
    let key = signingKey(cached, scope: scope)
    let canonical = try canonicalRequest(for: request, extraHeaders: signed, payload: payload)
    let (stringToSign, signature) = sign(canonical, timestamp: timestamp, scope: scope, key: key)
    let authorization =
      "\(SigV4.algorithm) Credential=\(credentials.accessKeyID)/\(scope.string), "
      + "SignedHeaders=\(canonical.headers.signedHeaders), Signature=\(signature)"
    return SigV4HeaderSignature(
      headers: added + [SigV4Header("Authorization", authorization)], canonicalRequest: canonical,
      stringToSign: stringToSign, signature: signature, timestamp: timestamp, signingKey: key)
  }

  static let tokenHeader = "X-Amz-Security-Token"

  /// The headers the signer sets, in the order they are added to the request (`Authorization` aside).
  func addedHeaders(payload: SigV4Payload, timestamp: SigV4Timestamp) -> [SigV4Header] {
    var headers: [SigV4Header] = []
    if let token = credentials.sessionToken { headers.append(SigV4Header(Self.tokenHeader, token)) }
    headers.append(SigV4Header("X-Amz-Date", timestamp.amzDate))
    if options.addContentSHA256Header { headers.append(SigV4Header("x-amz-content-sha256", payload.hash)) }
    return headers
  }
}
