#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The outcome of signing in the query string (a presigned URL), with every stage kept.
public struct SigV4QuerySignature: Sendable {
  /// The parameters to append to the request's query, unencoded, in this order: `X-Amz-Algorithm`,
  /// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-SignedHeaders`, `X-Amz-Expires`, `X-Amz-Security-Token`
  /// (temporary credentials), `X-Amz-Signature`.
  public let parameters: [SigV4QueryItem]
  /// The request-target to send: the request's path and query followed by ``parameters``, encoded.
  public let target: String
  public let canonicalRequest: SigV4CanonicalRequest
  public let stringToSign: String
  public let signature: String
  /// The key used; pass it back to later calls on the same day to skip its derivation.
  public let signingKey: SigV4SigningKey

  /// ``parameters`` encoded and joined with `&`, to append after the request's own query.
  public var encodedParameters: String { parameters.map(\.encoded).joined(separator: "&") }
}

extension SigV4Signer {
  /// Presigns `request`: the signature goes in the query, valid `expires` seconds from `date`.
  ///
  /// For S3 downloads pass `payload: .unsigned`. The request must carry `Host` and no `X-Amz-*`
  /// authentication parameter of its own.
  /// - Throws: ``SigV4Error/expiryOutOfRange(seconds:)`` unless `expires` is 1 s to 7 days.
  public func presign(
    _ request: SigV4Request, payload: SigV4Payload, expires: Int, date: Date,
    signingKey cached: SigV4SigningKey? = nil
  ) throws(SigV4Error) -> SigV4QuerySignature {
    guard (1...SigV4.maximumPresignExpiry).contains(expires) else { throw .expiryOutOfRange(seconds: expires) }
    try validate(request, reservedHeaders: [], reservedQuery: Self.queryAuthNames)
    let timestamp = SigV4Timestamp(date)
    let scope = scope(for: date)
    let key = signingKey(cached, scope: scope)
    let token = credentials.sessionToken.map { [SigV4QueryItem(Self.tokenHeader, $0)] } ?? []
    let auth = [
      SigV4QueryItem("X-Amz-Algorithm", SigV4.algorithm),
      SigV4QueryItem("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope.string)"),
      SigV4QueryItem("X-Amz-Date", timestamp.amzDate),
      SigV4QueryItem("X-Amz-SignedHeaders", SigV4CanonicalHeaders(Self.signable(request.headers)).signedHeaders),
      SigV4QueryItem("X-Amz-Expires", String(expires)),
    ]
    let signedQuery = auth + (options.omitSessionToken ? [] : token)
    let canonical = try canonicalRequest(for: request, extraQuery: signedQuery, payload: payload)
    let (stringToSign, signature) = sign(canonical, timestamp: timestamp, scope: scope, key: key)
    let parameters = auth + token + [SigV4QueryItem("X-Amz-Signature", signature)]
    let query = ([request.encodedQuery] + parameters.map(\.encoded)).filter { !$0.isEmpty }.joined(separator: "&")
    return SigV4QuerySignature(
      parameters: parameters, target: request.path + "?" + query, canonicalRequest: canonical,
      stringToSign: stringToSign, signature: signature, signingKey: key)
  }

  /// The query parameters only the signer may set.
  static let queryAuthNames: Set<String> = [
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires",
    "X-Amz-Security-Token", "X-Amz-Signature",
  ]
}
