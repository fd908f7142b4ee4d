import DRCrypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What the signature says about the body: its SHA-256, or one of S3's special markers.
public enum SigV4Payload: Sendable, Equatable {
  /// The lowercase hex SHA-256 of the body (e.g. from a streaming `SHA256Hasher`).
  case sha256Hex(String)
  /// `UNSIGNED-PAYLOAD`: the body is not covered by the signature. Only when the caller asks for it.
  case unsigned

  /// No body: the SHA-256 of the empty string.
  public static let empty = SigV4Payload.sha256Hex(SigV4.emptyPayloadHash)

  /// Hashes `body` now.
  public static func body<Bytes: ContiguousBytes>(_ body: Bytes) -> SigV4Payload {
    .sha256Hex(Digest.sha256(body).hex)
  }

  /// The value for the last line of the canonical request and for `x-amz-content-sha256`.
  public var hash: String {
    switch self {
    case .sha256Hex(let hex): hex
    case .unsigned: SigV4.unsignedPayload
    }
  }
}
