/// One HTTP header, name as it is sent (case kept) and raw value.
public struct SigV4Header: Sendable, Equatable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// One query parameter, unencoded: the signer and ``SigV4Request/encodedQuery`` encode it.
public struct SigV4QueryItem: Sendable, Equatable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }

  /// `name=value`, both encoded with ``SigV4/uriEncode(_:encodeSlash:)`` (slash encoded too).
  public var encoded: String {
    SigV4.uriEncode(name, encodeSlash: true) + "=" + SigV4.uriEncode(value, encodeSlash: true)
  }
}

/// The parts of an HTTP request that SigV4 signs.
public struct SigV4Request: Sendable, Equatable {
  /// `GET`, `PUT`, ...
  public var method: String
  /// The path exactly as it goes on the request line (already percent-encoded), starting with `/`.
  /// For S3 build it with ``SigV4/uriEncode(_:encodeSlash:)`` and `encodeSlash: false`.
  public var path: String
  /// Query parameters, unencoded, in the order they are sent.
  public var query: [SigV4QueryItem]
  /// Every header to sign, `Host` included, in the order they are sent.
  public var headers: [SigV4Header]

  public init(method: String, path: String, query: [SigV4QueryItem] = [], headers: [SigV4Header]) {
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
  }

  /// Builds a request from a request-target as on the wire (`/path?a=1&b=%20`): the path is kept as
  /// is, query parameters are split on `&` and `=` and percent-decoded (`+` is not a space).
  public init(method: String, target: String, headers: [SigV4Header]) {
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let query = parts.count > 1 ? Self.parseQuery(String(parts[1])) : []
    self.init(method: method, path: String(parts[0]), query: query, headers: headers)
  }

  /// The query in the order given, each name and value encoded once (empty when there is none).
  public var encodedQuery: String {
    query.map(\.encoded).joined(separator: "&")
  }

  /// The request-target to put on the request line: path, then `?` and ``encodedQuery`` if any.
  public var target: String {
    query.isEmpty ? path : path + "?" + encodedQuery
  }

  static func parseQuery(_ query: String) -> [SigV4QueryItem] {
    query.split(separator: "&").map { pair in
      let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let value = nameValue.count > 1 ? String(nameValue[1]) : ""
      return SigV4QueryItem(SigV4.uriDecode(String(nameValue[0])), SigV4.uriDecode(value))
    }
  }
}
