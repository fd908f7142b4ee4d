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
  /// SHA-256 of `body` in hex, when the caller already has it.
  var bodySHA256: String?
  /// Whether sending it twice does no harm (then every transient failure is retried).
  var idempotent = true

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

  /// Adds `Content-MD5` (always, for a body) so the server refuses a corrupted upload.
  mutating func addContentMD5() {
    guard !body.isEmpty else { return }
    headers.append(SigV4Header("Content-MD5", Data(Digest.md5(body)).base64EncodedString()))
  }

  var payload: SigV4Payload {
    if let bodySHA256 { return .sha256Hex(bodySHA256) }
    return body.isEmpty ? .empty : .body(body)
  }
}
