import DRHTTP
import Foundation

/// Turns an error answer into an `S3Error`: S3's XML error document when there is one,
/// a clear "unreadable answer" for HTML pages and garbage, the status alone for HEAD.
enum S3ErrorParser {
  static func error(from response: HTTPResponse, operation: String, credentialsSource: String?) -> S3Error {
    let status = response.status
    let requestID = response.head.header("x-amz-request-id")
    guard !response.body.isEmpty else {
      return S3Error(
        .server(status: status, code: codeForEmptyBody(status)), operation: operation, message: "",
        requestID: requestID, credentialsSource: credentialsSource)
    }
    guard let document = try? S3XMLParser.parse(response.body), document.name == "Error" else {
      return S3Error(
        .malformedResponse(status: status), operation: operation, message: describe(response.body),
        requestID: requestID, credentialsSource: credentialsSource)
    }
    let code = document.value("Code").flatMap { $0.isEmpty ? nil : $0 } ?? codeForEmptyBody(status)
    return S3Error(
      .server(status: status, code: code), operation: operation, message: document.value("Message") ?? "",
      requestID: document.value("RequestId") ?? requestID, credentialsSource: credentialsSource)
  }

  /// HEAD answers carry no body: name the usual meaning of the status.
  static func codeForEmptyBody(_ status: Int) -> String {
    switch status {
    case 301: "PermanentRedirect"
    case 400: "BadRequest"
    case 403: "Forbidden"
    case 404: "NotFound"
    case 409: "Conflict"
    case 412: "PreconditionFailed"
    case 429: "TooManyRequests"
    case 500: "InternalError"
    case 503: "ServiceUnavailable"
    default: "HTTP\(status)"
    }
  }

  /// `text` with anything but printable ASCII and whitespace shown as `?`: a server's
  /// answer must not put control sequences on the user's terminal.
  static func printable(_ text: String) -> String {
    String(
      text.unicodeScalars.map {
        $0.properties.isWhitespace || $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?"
      })
  }

  /// A short, printable description of a body that is not S3's XML.
  static func describe(_ body: [UInt8]) -> String {
    let text = String(decoding: body.prefix(2_048), as: UTF8.self)
    let lower = text.lowercased()
    if lower.contains("<html") || lower.contains("<!doctype html") {
      let title = text.range(of: "<title>", options: .caseInsensitive).flatMap { start in
        text.range(of: "</title>", options: .caseInsensitive, range: start.upperBound..<text.endIndex).map {
          String(text[start.upperBound..<$0.lowerBound])
        }
      }
      return
        "an HTML page\(title.map { " (\"\(printable($0.trimmingCharacters(in: .whitespacesAndNewlines)))\")" } ?? "") instead of an S3 answer; is the endpoint an S3 server?"
    }
    return "not an S3 XML answer: \"\(printable(String(text.unicodeScalars.prefix(120))))\""
  }
}
