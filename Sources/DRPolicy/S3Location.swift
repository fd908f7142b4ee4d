/// `s3://bucket/prefix/`: where a policy's backups live.
///
/// The prefix is empty or ends with `/`, so `prefix + name + "/backups/..."` is a key.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
  public let bucket: String
  public let prefix: String

  /// Parses `s3://bucket[/prefix]`; nil with a reason when it is not one.
  public static func parse(_ text: String) -> Result<S3Location, S3LocationError> {
    guard text.hasPrefix("s3://") else { return .failure(.init(reason: "it does not start with s3://")) }
    let rest = text.dropFirst(5)
    let bucket = String(rest.prefix { $0 != "/" })
    if let reason = bucketProblem(bucket) { return .failure(.init(reason: reason)) }
    var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
    if prefix.contains("//") { return .failure(.init(reason: "the prefix has an empty segment (//)")) }
    if prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
      return .failure(.init(reason: "the prefix has a . or .. segment"))
    }
    if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
    return .success(S3Location(bucket: bucket, prefix: prefix))
  }

  /// S3's bucket naming rules (3-63 characters, lowercase letters, digits, dots, hyphens).
  static func bucketProblem(_ bucket: String) -> String? {
    if bucket.isEmpty { return "no bucket name after s3://" }
    guard (3...63).contains(bucket.count) else { return "bucket name '\(bucket)' must be 3 to 63 characters" }
    let allowed = bucket.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
    }
    guard allowed else { return "bucket name '\(bucket)' may hold only lowercase letters, digits, '.' and '-'" }
    guard let first = bucket.first, let last = bucket.last, first.isLetter || first.isNumber,
      last.isLetter || last.isNumber
    else { return "bucket name '\(bucket)' must start and end with a letter or digit" }
    return nil
  }

  public var description: String { "s3://\(bucket)/\(prefix)" }
}

public struct S3LocationError: Error, Equatable {
  public let reason: String
}
