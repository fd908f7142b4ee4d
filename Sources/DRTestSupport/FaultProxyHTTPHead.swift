import Foundation

/// How a request's body is delimited.
enum BodyFraming: Equatable {
  case none
  case length(Int)
  case chunked
}

/// A parsed HTTP/1.1 request head: what filters match and where the body ends.
struct RequestHead: Sendable {
  let method: String
  /// The request target as sent.
  let target: String
  /// The target's path (before `?`), without scheme and authority for absolute targets.
  let path: String
  /// The target's query (after `?`), as sent.
  let query: String
  let framing: BodyFraming
  let expectsContinue: Bool
  /// The names of the head's fields, lowercased.
  let fieldNames: Set<String>

  /// The head in `bytes`, which end with the blank line; nil when it is not an HTTP/1.x
  /// request head or its body's framing is not understood (then nothing is parsed further).
  init?(_ bytes: ArraySlice<UInt8>) {
    let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    let requestLine = lines[0].split(separator: " ", omittingEmptySubsequences: false)
    guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."), !requestLine[0].isEmpty else { return nil }
    method = String(requestLine[0])
    target = String(requestLine[1])
    (path, query) = Self.split(target: target)
    var fields: [(name: String, value: String)] = []
    for line in lines.dropFirst() where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else { return nil }
      fields.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmed))
    }
    guard let framing = Self.framing(of: fields) else { return nil }
    self.framing = framing
    fieldNames = Set(fields.map(\.name))
    expectsContinue = fields.contains { $0.name == "expect" && $0.value.lowercased() == "100-continue" }
  }

  /// Where the head at the start of `bytes` ends (just past its blank line), if it is all there.
  static func end(in bytes: [UInt8]) -> Int? {
    let terminator: [UInt8] = [13, 10, 13, 10]
    guard bytes.count >= 4 else { return nil }
    for start in 0...(bytes.count - 4) where bytes[start] == 13 && Array(bytes[start..<start + 4]) == terminator {
      return start + 4
    }
    return nil
  }

  private static func split(target: String) -> (path: String, query: String) {
    var rest = Substring(target)
    if let scheme = rest.range(of: "://") {
      rest = rest[scheme.upperBound...]
      rest = rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...]
    }
    guard let question = rest.firstIndex(of: "?") else { return (String(rest), "") }
    return (String(rest[..<question]), String(rest[rest.index(after: question)...]))
  }

  /// RFC 9112 §6.3: chunked when the last transfer coding is chunked, otherwise the one
  /// Content-Length, otherwise no body. Other codings and conflicting lengths: nil.
  private static func framing(of fields: [(name: String, value: String)]) -> BodyFraming? {
    let codings = fields.filter { $0.name == "transfer-encoding" }
      .flatMap { $0.value.split(separator: ",") }.map { $0.trimmed.lowercased() }
    if let last = codings.last { return last == "chunked" ? .chunked : nil }
    let lengths = Set(fields.filter { $0.name == "content-length" }.map(\.value))
    guard let first = lengths.first else { return BodyFraming.none }
    guard lengths.count == 1, let length = Int(first), length >= 0 else { return nil }
    return .length(length)
  }
}

/// The status code of a response head in `bytes`, if it starts like one.
func responseStatus(_ bytes: ArraySlice<UInt8>) -> Int? {
  let line = String(decoding: bytes.prefix(32), as: UTF8.self)
  let parts = line.split(separator: " ", maxSplits: 2)
  guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
  return Int(parts[1].prefix(3))
}

extension StringProtocol {
  fileprivate var trimmed: String {
    trimmingCharacters(in: .whitespaces)
  }
}
