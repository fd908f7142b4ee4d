import DRCrypto
import DRHTTP
import DRSigV4
import Foundation

/// One S3 request before signing: what to send and how to treat failures.
struct S3Call: Sendable {
  var method: String
  var bucket: String?
  var key: String?
  var query: [SigV4QueryItem] = []
  /// Headers to send and sign besides Host and the signer's own.
  var headers: [SigV4Header] = []
  var body: [UInt8] = []
  /// The body's digests, when the caller computed them already (off the cooperative pool).
  var digests: BodyDigests?
  /// Whether sending it twice does no harm (then every transient failure is retried).
  var idempotent = true
  /// A data upload sent without Content-MD5: a 400 InvalidRequest retries it once with one.
  var md5OnRefusal = false

  init(method: String, bucket: String?, key: String? = nil, query: [SigV4QueryItem] = []) {
    self.method = method
    self.bucket = bucket
    self.key = key
    self.query = query
  }

  /// `PUT s3://bucket/key`, for messages.
  var operation: String {
    var text = "\(method) s3://\(bucket ?? "")"
    if let key { text += "/\(key)" }
    if let name = query.first(where: { ["uploads", "uploadId", "delete", "list-type"].contains($0.name) })?.name {
      text += " (\(name))"
    }
    return text
  }

  /// Adds `Content-MD5` (always, for a body): control requests that S3 requires it on
  /// (DeleteObjects, lifecycle and lock configurations, CompleteMultipartUpload).
  mutating func addContentMD5() {
    guard !body.isEmpty else { return }
    let md5 = digests?.md5Base64 ?? Data(Digest.md5(body)).base64EncodedString()
    headers.append(SigV4Header("Content-MD5", md5))
  }

  /// Data uploads (PutObject, UploadPart): their signed SHA-256 payload hash already makes
  /// the server refuse a corrupted body (`XAmzContentSHA256Mismatch`), so Content-MD5, which
  /// costs 2.4 times the SHA-256 here, is sent only where S3 requires it: writes with
  /// Object Lock retention, and buckets that refused an upload without it
  /// (`S3Client.contentMD5Buckets`, learnt from a 400 InvalidRequest: a bucket with default
  /// retention wants it on every upload).
  mutating func addContentMD5(ifRequired required: Bool) {
    if required { addContentMD5() } else { md5OnRefusal = !body.isEmpty }
  }

  var payload: SigV4Payload {
    if let digests { return .sha256Hex(digests.sha256Hex) }
    return body.isEmpty ? .empty : .body(body)
  }
}

/// The digests an upload carries for its body: SHA-256 (signed payload) and, only where
/// S3 requires it, MD5 (Content-MD5). SHA-256 costs ~5 ms per 8 MiB part with SHA-NI and MD5
/// ~13 ms, so callers compute them on a thread of their own and hand them over.
public struct BodyDigests: Sendable {
  public let sha256Hex: String
  public let md5Base64: String?

  public init(_ body: [UInt8], md5: Bool = true) {
    sha256Hex = Digest.sha256(body).hex
    md5Base64 = md5 ? Data(Digest.md5(body)).base64EncodedString() : nil
  }
}
