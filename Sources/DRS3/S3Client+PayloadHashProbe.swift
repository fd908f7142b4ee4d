import DRSigV4
import Foundation
import Logging
import Synchronization

extension S3Client {
  /// With `unlessPayloadHashChecked`, learns once per bucket whether its server refuses a
  /// body that differs from the SHA-256 it was signed with, as AWS S3 and Ceph RGW do. Only
  /// then do data uploads leave Content-MD5 out: the signed hash already makes the server
  /// refuse a body corrupted on the way.
  ///
  /// The probe is one UploadPart of a single byte, signed with the hash of another byte,
  /// into the multipart upload `uploadID` as its part 1, before any part of it is sent.
  /// 400 XAmzContentSHA256Mismatch: the server checks. Accepted (the upload's own part 1
  /// then replaces the probe's byte; nothing outside that unfinished upload was written)
  /// or refused for another reason: it does not, as far as dr can tell, so MD5 on every
  /// upload. No answer (or a stop) teaches nothing: this upload carries MD5 and the next
  /// one probes again.
  func probePayloadHashCheck(bucket: String, key: String, uploadID: String) async {
    guard contentMD5 == .unlessPayloadHashChecked, payloadHashChecked(bucket) == nil else { return }
    var call = S3Call(
      method: "PUT", bucket: bucket, key: key,
      query: [SigV4QueryItem("partNumber", "1"), SigV4QueryItem("uploadId", uploadID)])
    call.body = Array("x".utf8)
    call.digests = BodyDigests(Array("y".utf8), md5: false)
    let checked: Bool
    let answer: String
    do {
      _ = try await send(call)
      (checked, answer) = (false, "accepted it")
    } catch let error as S3Error where error.status.map({ (400..<500).contains($0) }) == true {
      checked = error.code == "XAmzContentSHA256Mismatch"
      answer = checked ? "refused it (XAmzContentSHA256Mismatch)" : "answered \(error)"
    } catch {
      logger.debug("s3://\(bucket): no answer to the payload hash probe (\(error)): this upload carries Content-MD5")
      return
    }
    payloadHashChecks.withLock { $0[bucket] = checked }
    let what = "s3://\(bucket): a part whose body differs from its signed SHA-256: the server \(answer)"
    if checked {
      logger.debug("\(what); uploads to it carry no Content-MD5 (the signed hash protects them)")
    } else {
      // Worth a line: this server does not check what every request of dr signs.
      logger.notice("\(what); uploads to it carry Content-MD5")
    }
  }
}
