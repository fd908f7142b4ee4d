import DRSigV4
import Foundation

/// Where requests go: scheme, host and port of the endpoint, the addressing style, and
/// the region signatures are scoped to.
public struct S3Endpoint: Sendable, Equatable {
  public enum Addressing: String, Sendable {
    case path, virtual
  }

  public let scheme: String
  /// `host` or `host:port`.
  public let authority: String
  public let region: String
  public let addressing: Addressing

  /// `url` is `http(s)://host[:port]` (a path after it is ignored); nil means AWS's
  /// regional endpoint with virtual-hosted addressing unless `addressing` says otherwise.
  public init(url: String?, region: String, addressing: Addressing? = nil) throws(S3Error) {
    self.region = region
    guard let url else {
      scheme = "https"
      authority = region == "us-east-1" ? "s3.amazonaws.com" : "s3.\(region).amazonaws.com"
      self.addressing = addressing ?? .virtual
      return
    }
    guard let schemeEnd = url.range(of: "://") else {
      throw S3Error(.invalidRequest, operation: "endpoint \(url)", message: "expected http:// or https://")
    }
    scheme = url[..<schemeEnd.lowerBound].lowercased()
    authority = String(url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" })
    guard ["http", "https"].contains(scheme), !authority.isEmpty else {
      throw S3Error(.invalidRequest, operation: "endpoint \(url)", message: "expected http(s)://host[:port]")
    }
    self.addressing = addressing ?? .path
  }

  /// The Host header and request path for `bucket` (and `key`), encoded once as S3 wants.
  func location(bucket: String?, key: String?) -> (host: String, path: String) {
    let encodedKey = key.map { "/" + SigV4.uriEncode($0, encodeSlash: false) } ?? ""
    guard let bucket else { return (authority, "/") }
    switch addressing {
    case .path:
      return (authority, "/" + SigV4.uriEncode(bucket, encodeSlash: true) + encodedKey)
    case .virtual:
      return ("\(bucket).\(authority)", encodedKey.isEmpty ? "/" : encodedKey)
    }
  }

  public var baseURL: String { "\(scheme)://\(authority)" }

  /// Whether this is AWS S3 itself (`*.amazonaws.com`, `*.amazonaws.com.cn`), which checks
  /// the signed payload hash of every request.
  public var isAWS: Bool {
    let host = (authority.split(separator: ":").first.map(String.init) ?? authority).lowercased()
    return host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn")
  }
}
