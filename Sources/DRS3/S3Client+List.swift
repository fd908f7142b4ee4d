import DRHTTP
import DRSigV4
import Foundation

extension S3Client {
  /// One page of ListObjectsV2. Keys are asked URL-encoded (`encoding-type=url`) so any
  /// key survives the XML, and decoded here.
  public func listObjects(
    bucket: String, prefix: String = "", delimiter: String? = nil, continuationToken: String? = nil,
    maxKeys: Int = 1000
  ) async throws -> S3ListPage {
    var query = [
      SigV4QueryItem("list-type", "2"), SigV4QueryItem("encoding-type", "url"),
      SigV4QueryItem("max-keys", String(maxKeys)),
    ]
    if !prefix.isEmpty { query.append(SigV4QueryItem("prefix", prefix)) }
    if let delimiter { query.append(SigV4QueryItem("delimiter", delimiter)) }
    if let continuationToken { query.append(SigV4QueryItem("continuation-token", continuationToken)) }
    let call = S3Call(method: "GET", bucket: bucket, query: query)
    let document = try await sendForXML(call, expecting: "ListBucketResult")
    let encoded = document.value("EncodingType") == "url"
    let decode: (String) -> String = { encoded ? S3URLDecoding.decode($0) : $0 }
    let objects = document.children("Contents").map { item in
      S3Object(
        key: decode(item.value("Key") ?? ""), size: Int64(item.value("Size") ?? "") ?? 0,
        etag: item.value("ETag") ?? "", lastModified: S3Time.parse(item.value("LastModified")),
        storageClass: item.value("StorageClass"))
    }
    let prefixes = document.children("CommonPrefixes").compactMap { $0.value("Prefix") }.map(decode)
    let truncated = document.value("IsTruncated") == "true"
    let token = truncated ? document.value("NextContinuationToken") : nil
    if truncated, token == nil {
      throw S3Error(
        .malformedResponse(status: 200), operation: call.operation,
        message: "truncated listing without a continuation token")
    }
    return S3ListPage(objects: objects, commonPrefixes: prefixes, continuationToken: token)
  }

  /// Every object under `prefix`, all pages, in key order. At most `limit` pages are read
  /// (a loop bound against a server that never stops paging).
  public func listAllObjects(bucket: String, prefix: String = "", limit: Int = 100_000) async throws -> [S3Object] {
    var objects: [S3Object] = []
    var token: String?
    var pager = ListingPager(operation: "GET s3://\(bucket)/\(prefix)")
    for _ in 0..<limit {
      let page = try await listObjects(bucket: bucket, prefix: prefix, continuationToken: token)
      objects += page.objects
      token = page.continuationToken
      guard let next = token else { return objects }
      try pager.check(next)
    }
    throw S3Error(
      .malformedResponse(status: 200), operation: "GET s3://\(bucket)/\(prefix)", message: "more than \(limit) pages")
  }

  /// Sends `call` and parses the XML answer, whose root element must be one of `roots`.
  /// A well-formed page of another kind (a captive portal's or a proxy's HTML answering
  /// 200) must not read as an empty listing: `dr list` would say there are no backups.
  func sendForXML(_ call: S3Call, expecting roots: String...) async throws -> XMLElement {
    let response = try await send(call)
    let document: XMLElement
    do {
      document = try S3XMLParser.parse(response.body)
    } catch {
      throw S3Error(
        .malformedResponse(status: response.status), operation: call.operation,
        message: "\(S3ErrorParser.describe(response.body)) (\(error))")
    }
    guard roots.contains(document.name) else {
      throw S3Error(
        .malformedResponse(status: response.status), operation: call.operation,
        message: "expected <\(roots.first ?? "?")>, got <\(S3ErrorParser.printable(document.name))>: "
          + S3ErrorParser.describe(response.body))
    }
    return document
  }
}

/// Pages of a listing must move on: a server that hands back a continuation token it
/// gave before would keep a listing going for ever (100,000 pages is hours).
public struct ListingPager: Sendable {
  let operation: String
  private var seen: Set<String> = []

  public init(operation: String) {
    self.operation = operation
  }

  /// Throws when `token` came before.
  public mutating func check(_ token: String) throws {
    guard seen.insert(token).inserted else {
      throw S3Error(
        .malformedResponse(status: 200), operation: operation,
        message: "the server repeated a continuation token: the listing would never end")
    }
  }
}

/// Decodes keys S3 returns with `encoding-type=url` (`%XX`, and `+` for a space).
enum S3URLDecoding {
  static func decode(_ text: String) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "+") {
        bytes.append(0x20)
      } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
        let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
      {
        bytes.append(value)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
