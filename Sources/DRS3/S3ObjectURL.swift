/// `s3://bucket/key` as operators type it; the key may be empty (a bucket or a prefix).
public struct S3ObjectURL: Sendable, Equatable, CustomStringConvertible {
  public let bucket: String
  public let key: String

  /// Nil when `text` does not start with `s3://` or has no bucket.
  public init?(_ text: String) {
    guard text.hasPrefix("s3://") else { return nil }
    let rest = text.dropFirst(5)
    let bucket = rest.prefix { $0 != "/" }
    guard !bucket.isEmpty else { return nil }
    self.bucket = String(bucket)
    self.key = String(rest.dropFirst(bucket.count + 1))
  }

  public var description: String { "s3://\(bucket)/\(key)" }
}
