#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// AWS Signature Version 4: constants and the encoding helpers shared by callers and the signer.
///
/// Signing itself is done by ``SigV4Signer``.
public enum SigV4 {
  /// The algorithm name written in `Authorization` and `X-Amz-Algorithm`.
  public static let algorithm = "AWS4-HMAC-SHA256"
  /// Payload hash meaning "the body is not signed" (S3 only, and only when asked for).
  public static let unsignedPayload = "UNSIGNED-PAYLOAD"
  /// Hex SHA-256 of the empty string.
  public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
  /// The longest validity a presigned URL may have: 7 days, in seconds.
  public static let maximumPresignExpiry = 604_800
  /// The terminator of every credential scope.
  static let scopeTerminator = "aws4_request"
}
