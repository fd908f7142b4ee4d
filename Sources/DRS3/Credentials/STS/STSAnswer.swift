import DRCore
import Foundation

/// Why an STS call gave no credentials, in words for messages (never a secret).
struct STSFailure: Error, Equatable {
  let reason: String
  /// Worth another attempt: no answer, throttling, a server error.
  var transient = false
}

/// Reads STS answers with dr's own XML parser: `<ACTIONResponse><ACTIONResult><Credentials>`
/// on success; `<ErrorResponse><Error><Code>` (AWS) or `<Error><Code>` (Ceph RGW) on failure.
enum STSAnswer {
  static func credentials(
    _ body: [UInt8], action: String, source: String, secrets: SecretRegistry
  ) throws(STSFailure) -> S3Credentials {
    guard let document = try? S3XMLParser.parse(body), document.name == action + "Response" else {
      throw STSFailure(reason: "the answer is not an \(action) response (\(describe(body)))")
    }
    guard let fields = document.child(action + "Result")?.child("Credentials") else {
      throw STSFailure(reason: "the \(action) answer has no Credentials")
    }
    guard let id = fields.value("AccessKeyId")?.trimmedNonEmpty,
      let secret = fields.value("SecretAccessKey")?.trimmedNonEmpty
    else {
      throw STSFailure(reason: "the \(action) answer has no AccessKeyId or SecretAccessKey")
    }
    secrets.register(secret)
    let token = fields.value("SessionToken")?.trimmedNonEmpty
    secrets.register(token)
    guard let text = fields.value("Expiration")?.trimmedNonEmpty else {
      throw STSFailure(reason: "the \(action) answer has no Expiration")
    }
    guard let expiration = parseTime(text) else {
      throw STSFailure(reason: "the \(action) answer's Expiration \(printable(text)) is not an ISO 8601 time")
    }
    return S3Credentials(
      accessKeyID: id, secretAccessKey: secret, sessionToken: token, expiration: expiration, source: source)
  }

  /// "HTTP 403 AccessDenied: message", from whichever error document the server sent.
  static func failure(status: Int, body: [UInt8]) -> STSFailure {
    let transient = status >= 500 || status == 429
    guard let document = try? S3XMLParser.parse(body) else {
      let excerpt = body.isEmpty ? "" : " (\(describe(body)))"
      return STSFailure(reason: "HTTP \(status)\(excerpt)", transient: transient)
    }
    let error = document.name == "Error" ? document : document.child("Error")
    let code = error?.value("Code")?.trimmedNonEmpty ?? ""
    let message = error?.value("Message")?.trimmedNonEmpty.map { ": " + printable($0) } ?? ""
    let advice = advice[code].map { ". " + $0 } ?? ""
    return STSFailure(
      reason: "HTTP \(status) \(printable(code))\(message)\(advice)",
      transient: transient || code == "Throttling" || code == "IDPCommunicationError")
  }

  static let advice = [
    "AccessDenied":
      "the role's trust policy does not allow these credentials to assume it (or the external ID differs)",
    "ExpiredToken": "the token has expired; the web identity token file must be kept fresh (EKS rotates it)",
    "InvalidIdentityToken": "STS refused the web identity token (issuer, audience or signature)",
    "NoSuchEntity": "no such role",
    "InvalidClientTokenId": "STS does not know the access key of the source credentials",
    "SignatureDoesNotMatch": "the source credentials' secret key is wrong",
  ]

  /// ISO 8601 with any number of fractional digits (RGW sends nanoseconds).
  static func parseTime(_ text: String) -> Date? {
    guard let dot = text.firstIndex(of: ".") else { return try? Date(text, strategy: .iso8601) }
    let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
    let whole = String(text[..<dot]) + String(text[text.index(after: dot)...].dropFirst(digits.count))
    guard let date = try? Date(whole, strategy: .iso8601), let fraction = Double("0." + digits) else { return nil }
    return date.addingTimeInterval(fraction)
  }

  static func describe(_ body: [UInt8]) -> String {
    body.isEmpty ? "empty" : "\(body.count) bytes: \"\(printable(String(decoding: body.prefix(80), as: UTF8.self)))\""
  }

  static func printable(_ text: String) -> String { S3ErrorParser.printable(text) }
}
