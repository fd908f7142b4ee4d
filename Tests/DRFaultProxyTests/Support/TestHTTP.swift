import Foundation

/// A parsed HTTP message head, request or response, for the test client and server.
struct TestHead {
  let startLine: String
  let fields: [String: String]

  init?(_ bytes: [UInt8]) {
    let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    guard let first = lines.first else { return nil }
    startLine = first
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    self.fields = fields
  }

  var parts: [String] { startLine.split(separator: " ", maxSplits: 2).map(String.init) }
  var contentLength: Int { fields["content-length"].flatMap { Int($0) } ?? 0 }
  var isChunked: Bool { fields["transfer-encoding"]?.lowercased() == "chunked" }
}

struct TestResponse {
  let status: Int
  let head: TestHead
  let body: [UInt8]
  /// Bytes on the wire, interim responses included.
  let byteCount: Int
  var text: String { String(decoding: body, as: UTF8.self) }
}

extension TestSocket {
  /// The next final response (interim 1xx responses skipped); nil at end of stream.
  func readResponse(answeringHEAD: Bool = false) throws -> TestResponse? {
    var byteCount = 0
    while true {
      guard let bytes = try readHead(), let head = TestHead(bytes), head.parts.count >= 2,
        let status = Int(head.parts[1])
      else { return nil }
      byteCount += bytes.count
      if (100..<200).contains(status) { continue }
      let body = answeringHEAD ? [] : try read(count: head.contentLength)
      return TestResponse(status: status, head: head, body: body, byteCount: byteCount + body.count)
    }
  }

  /// Sends a request with a Content-Length body; returns how many bytes were sent.
  @discardableResult
  func sendRequest(_ method: String, _ target: String, body: [UInt8] = [], headers: [String] = []) throws -> Int {
    let bytes = requestBytes(method, target, body: body, headers: headers)
    try send(bytes)
    return bytes.count
  }

  /// Sends a request and reads its response.
  func exchange(_ method: String, _ target: String, body: [UInt8] = []) throws -> TestResponse? {
    try sendRequest(method, target, body: body)
    return try readResponse(answeringHEAD: method == "HEAD")
  }
}

/// A request with a Content-Length body (for PUT and POST even when empty).
func requestBytes(_ method: String, _ target: String, body: [UInt8] = [], headers: [String] = []) -> [UInt8] {
  var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
  for header in headers { head += header + "\r\n" }
  if !body.isEmpty || method == "PUT" || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
  return Array((head + "\r\n").utf8) + body
}

/// Polls `condition` every 10 ms for up to 5 s; whether it became true.
func eventually(_ condition: () -> Bool) -> Bool {
  let deadline = ContinuousClock.now + .seconds(5)
  while !condition() {
    guard ContinuousClock.now < deadline else { return false }
    Thread.sleep(forTimeInterval: 0.01)
  }
  return true
}

/// A chunked encoding of `body` in chunks of `size` bytes, with an extension and a trailer.
func chunkedEncoding(_ body: [UInt8], size: Int) -> [UInt8] {
  var encoded: [UInt8] = []
  var offset = 0
  while offset < body.count {
    let chunk = body[offset..<min(offset + size, body.count)]
    encoded += Array("\(String(chunk.count, radix: 16));ext=1\r\n".utf8) + chunk + [13, 10]
    offset += chunk.count
  }
  return encoded + Array("0\r\nx-trailer: yes\r\n\r\n".utf8)
}

/// `count` bytes of a recognizable pattern.
func patternBytes(_ count: Int) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: $0 % 251) }
}

/// How long `work` took.
func elapsed(_ work: () throws -> Void) rethrows -> Duration {
  let start = ContinuousClock.now
  try work()
  return ContinuousClock.now - start
}
