import DRCrypto

/// Task 1 of SigV4, the canonical request, with its parts kept for inspection.
public struct SigV4CanonicalRequest: Sendable, Equatable {
  public let method: String
  /// The canonical URI (normalised and encoded per ``SigV4Options``).
  public let uri: String
  /// Query parameters encoded, sorted by name then value, joined with `&`.
  public let query: String
  public let headers: SigV4CanonicalHeaders
  /// The payload hash line (a hex SHA-256, `UNSIGNED-PAYLOAD` or `STREAMING-...`).
  public let payloadHash: String

  public init(method: String, uri: String, query: [SigV4QueryItem], headers: SigV4CanonicalHeaders, payloadHash: String)
  {
    self.method = method
    self.uri = uri
    self.query = Self.canonicalQuery(query)
    self.headers = headers
    self.payloadHash = payloadHash
  }

  /// The six lines: method, URI, query, headers (each ending in a newline), signed headers, payload hash.
  public var text: String {
    [method, uri, query, headers.text, headers.signedHeaders, payloadHash].joined(separator: "\n")
  }

  /// Lowercase hex SHA-256 of ``text``, the last line of the string to sign.
  public var hash: String { Digest.sha256(text).hex }

  /// Encodes each name and value, sorts by encoded name then encoded value (byte order), joins with `&`.
  public static func canonicalQuery(_ items: [SigV4QueryItem]) -> String {
    items.map { (SigV4.uriEncode($0.name, encodeSlash: true), SigV4.uriEncode($0.value, encodeSlash: true)) }
      .sorted { left, right in
        left.0 == right.0
          ? left.1.utf8.lexicographicallyPrecedes(right.1.utf8) : left.0.utf8.lexicographicallyPrecedes(right.0.utf8)
      }
      .map { "\($0.0)=\($0.1)" }
      .joined(separator: "&")
  }
}
