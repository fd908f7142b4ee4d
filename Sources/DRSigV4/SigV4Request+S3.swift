extension SigV4Request {
  /// A request for an S3 object whose `key` is given unencoded: the path is `/bucket/key` (path-style)
  /// or `/key` (virtual-hosted, `bucket` nil), encoded once with ``SigV4/uriEncode(_:encodeSlash:)``
  /// keeping the key's slashes. Send ``target`` on the request line so it matches what was signed.
  public static func s3Object(
    method: String, bucket: String? = nil, key: String, query: [SigV4QueryItem] = [], headers: [SigV4Header]
  ) -> SigV4Request {
    let bucketPath = bucket.map { "/" + SigV4.uriEncode($0, encodeSlash: true) } ?? ""
    let path = bucketPath + "/" + SigV4.uriEncode(key, encodeSlash: false)
    return SigV4Request(method: method, path: path, query: query, headers: headers)
  }
}
