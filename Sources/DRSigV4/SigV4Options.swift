/// The per-service rules the signer follows. ``standard`` fits every service but S3; ``s3`` fits S3.
public struct SigV4Options: Sendable, Equatable {
  /// How the canonical URI is derived from the path sent on the wire.
  public enum PathEncoding: Sendable, Equatable {
    /// The (already encoded) wire path is encoded once more: every service except S3.
    case double
    /// The wire path is used as is; it must already be encoded once (S3).
    case single
  }

  /// Remove `.`, `..` and duplicate slashes before encoding (not for S3, where they are part of the key).
  public var normalizePath: Bool
  public var pathEncoding: PathEncoding
  /// In header mode, add and sign `x-amz-content-sha256` with the payload hash (S3 requires it).
  public var addContentSHA256Header: Bool
  /// Send `X-Amz-Security-Token` but leave it out of the signature (services that add the token
  /// after signing, e.g. some IoT endpoints).
  public var omitSessionToken: Bool

  public init(
    normalizePath: Bool, pathEncoding: PathEncoding, addContentSHA256Header: Bool, omitSessionToken: Bool = false
  ) {
    self.normalizePath = normalizePath
    self.pathEncoding = pathEncoding
    self.addContentSHA256Header = addContentSHA256Header
    self.omitSessionToken = omitSessionToken
  }

  /// Every service but S3: normalised path, double encoding, no `x-amz-content-sha256`.
  public static let standard = SigV4Options(normalizePath: true, pathEncoding: .double, addContentSHA256Header: false)
  /// S3: path as sent (encoded once, not normalised), `x-amz-content-sha256` added.
  public static let s3 = SigV4Options(normalizePath: false, pathEncoding: .single, addContentSHA256Header: true)
}
