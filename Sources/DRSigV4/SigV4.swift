#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// AWS Signature Version 4: constants and the encoding helpers shared by callers and the signer.
///
/// Signing itself is done by ``SigV4Signer``; streaming (`aws-chunked`) uploads by ``SigV4ChunkSigner``.
public enum SigV4 {
  /// The algorithm name written in `Authorization` and `X-Amz-Algorithm`.
  public static let algorithm = "AWS4-HMAC-SHA256"
  /// The algorithm name of a chunk's string to sign in a streaming upload.
  public static let chunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD"
  /// Payload hash meaning "the body is not signed" (S3 only, and only when asked for).
  public static let unsignedPayload = "UNSIGNED-PAYLOAD"
  /// Payload hash of an `aws-chunked` upload whose chunks are signed one by one.
  public static let streamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
  /// Hex SHA-256 of the empty string.
  public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
  /// The longest validity a presigned URL may have: 7 days, in seconds.
  public static let maximumPresignExpiry = 604_800
  /// The terminator of every credential scope.
  static let scopeTerminator = "aws4_request"
}
