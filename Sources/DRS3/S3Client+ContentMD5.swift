import DRCore
import DRCrypto
import DRSigV4
import Foundation
import Logging
import Synchronization

/// When data uploads (PutObject, UploadPart) carry Content-MD5.
public enum ContentMD5Use: Sendable, Equatable {
  /// Every one.
  case always
  /// Writes with Object Lock retention, and buckets that refused an upload without it.
  case whenRequired
  /// As `whenRequired` once the bucket's server was seen to refuse a body that differs
  /// from its signed SHA-256 (`probePayloadHashCheck`), as `always` until then and when it
  /// was not: `auto` on endpoints other than AWS S3.
  case unlessPayloadHashChecked
}

extension S3Client {
  /// Whether uploads to `bucket` carry Content-MD5: with `objectLock` (a write with
  /// retention) or once the bucket refused an upload without it; otherwise as configured.
  func requiresContentMD5(_ bucket: String, objectLock: Bool) -> Bool {
    if objectLock || contentMD5Buckets.withLock({ $0.contains(bucket) }) { return true }
    switch contentMD5 {
    case .always: return true
    case .whenRequired: return false
    case .unlessPayloadHashChecked: return payloadHashChecked(bucket) != true
    }
  }

  /// What a probe learnt about `bucket`'s server: true when it refused a body that differs
  /// from its signed SHA-256, false when it did not, nil before any probe.
  public func payloadHashChecked(_ bucket: String) -> Bool? {
    payloadHashChecks.withLock { $0[bucket] }
  }

  /// `call` again with Content-MD5 when it is a data upload sent without one and `error`
  /// is the 400 InvalidRequest that S3 answers then on a bucket with default Object Lock
  /// retention; the bucket is remembered, so later uploads carry it from the start. nil
  /// for anything else. The MD5 is computed off the cooperative pool.
  func withContentMD5(_ call: S3Call, after error: S3Error) async throws -> S3Call? {
    guard call.md5OnRefusal, error.status == 400, error.code == "InvalidRequest",
      let bucket = call.bucket
    else { return nil }
    let first = contentMD5Buckets.withLock { $0.insert(bucket).inserted }
    if first {
      logger.notice(
        """
        s3://\(bucket) refused an upload without Content-MD5 (a bucket with default Object Lock retention \
        wants it): uploads to it carry one from now on
        """)
    }
    var retried = call
    let body = call.body
    let md5 = try await runBlocking("dr-hash") { Data(Digest.md5(body)).base64EncodedString() }
    retried.headers.append(SigV4Header("Content-MD5", md5))
    retried.md5OnRefusal = false
    return retried
  }
}
