import DRCore
import DRCrypto

/// How a webhook proves it comes from this worker and is not a replay.
///
/// When `notify.secret` is set, every request carries two headers:
///
///     X-DR-Timestamp: 1740794400
///     X-DR-Signature: sha256=<lowercase hex HMAC-SHA256(secret, timestamp + "." + body)>
///
/// where `timestamp` is the header's text (Unix seconds when the attempt was sent) and
/// `body` the request body's exact bytes. A receiver verifies by:
///
/// 1. computing the HMAC over `<X-DR-Timestamp>.<raw body>` with the shared secret and
///    comparing it to the hex after `sha256=` in constant time;
/// 2. rejecting a timestamp too far from its own clock (say, five minutes), so a request
///    captured on the way cannot be replayed later;
/// 3. parsing the JSON only after both checks pass.
///
/// Each retry is signed afresh with its own timestamp.
public enum WebhookSignature {
  public static let signatureHeader = "X-DR-Signature"
  public static let timestampHeader = "X-DR-Timestamp"

  /// `sha256=<hex>` for `body` sent at `timestamp` (Unix seconds).
  public static func signature(secret: Secret, timestamp: Int, body: [UInt8]) -> String {
    let message = Array("\(timestamp).".utf8) + body
    return "sha256=" + HMAC.sha256(key: Array(secret.value.utf8), message: message).hex
  }

  /// Both headers for `body`, or none without a secret.
  static func headers(secret: Secret?, timestamp: Int, body: [UInt8]) -> [(name: String, value: String)] {
    guard let secret else { return [] }
    return [
      (timestampHeader, String(timestamp)),
      (signatureHeader, signature(secret: secret, timestamp: timestamp, body: body)),
    ]
  }
}
