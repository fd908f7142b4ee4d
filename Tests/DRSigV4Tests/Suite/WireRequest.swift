import DRSigV4
import Foundation

/// An HTTP/1.1 request as written in the suite's text files: request line, headers (a line starting
/// with a space or tab continues the previous header's value), blank line, body.
struct WireRequest {
  let method: String
  /// The request-target exactly as on the request line (may hold spaces and raw UTF-8).
  let target: String
  let version: String
  /// Names as written; values as written after the colon, continuation lines joined with `\n`.
  let headers: [SigV4Header]
  let body: String

  init(parsing text: String) throws {
    let (head, body) = Self.splitHead(text)
    var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while lines.last?.isEmpty == true { lines.removeLast() }
    guard !lines.isEmpty else { throw WireRequestError.malformed("empty request") }
    let requestLine = lines.removeFirst()
    guard let first = requestLine.firstIndex(of: " "), let last = requestLine.lastIndex(of: " "), first < last else {
      throw WireRequestError.malformed(requestLine)
    }
    method = String(requestLine[..<first])
    target = String(requestLine[requestLine.index(after: first)..<last])
    version = String(requestLine[requestLine.index(after: last)...])
    headers = try Self.parseHeaders(lines)
    self.body = body
  }

  /// The same request with `extraHeaders` appended and `target` replaced, in the suite's format.
  func text(target: String? = nil, adding extraHeaders: [SigV4Header]) -> String {
    let lines = (headers + extraHeaders).map { "\($0.name):\($0.value)\n" }
    return "\(method) \(target ?? self.target) \(version)\n" + lines.joined() + "\n" + body
  }

  /// The request-target split into path and (raw) query.
  var pathAndQuery: (path: String, query: String) {
    guard let mark = target.firstIndex(of: "?") else { return (target, "") }
    return (String(target[..<mark]), String(target[target.index(after: mark)...]))
  }

  private static func splitHead(_ text: String) -> (head: String, body: String) {
    guard let range = text.range(of: "\n\n") else { return (text, "") }
    return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
  }

  private static func parseHeaders(_ lines: [String]) throws -> [SigV4Header] {
    var headers: [SigV4Header] = []
    for line in lines {
      if line.first == " " || line.first == "\t" {
        guard !headers.isEmpty else { throw WireRequestError.malformed(line) }
        headers[headers.count - 1].value += "\n" + line
      } else {
        guard let colon = line.firstIndex(of: ":") else { throw WireRequestError.malformed(line) }
        headers.append(SigV4Header(String(line[..<colon]), String(line[line.index(after: colon)...])))
      }
    }
    return headers
  }
}

enum WireRequestError: Error {
  case malformed(String)
}
