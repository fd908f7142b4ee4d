import Foundation

extension LoopbackHTTPServer {
  /// One client connection, served on its own thread: requests are read and answered in
  /// turn until either side closes, a read times out, or the server stops.
  final class Connection {
    private let fd: Int32
    private let server: LoopbackHTTPServer
    private var buffer: [UInt8] = []
    private static let headEnd: [UInt8] = Array("\r\n\r\n".utf8)
    private static let lineEnd: [UInt8] = Array("\r\n".utf8)

    init(fd: Int32, server: LoopbackHTTPServer) {
      self.fd = fd
      self.server = server
    }

    func serve() {
      while !server.isStopped, let request = readRequest() {
        server.record(request)
        let response = server.handler(request)
        if response.dropConnection { return }
        let close = response.closeConnection || Self.wantsClose(request)
        guard Socket.writeAll(fd, Self.encode(response, method: request.method, close: close)), !close else {
          return
        }
      }
    }

    /// The next request, or nil when the connection should end (after answering a
    /// malformed request with an error status).
    private func readRequest() -> Request? {
      guard let headLength = readHead() else { return nil }
      let head = String(decoding: buffer[..<headLength], as: UTF8.self)
      buffer.removeFirst(headLength + Self.headEnd.count)
      let lines = head.components(separatedBy: "\r\n")
      let parts = lines[0].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return refuse(400) }
      var headers: [(name: String, value: String)] = []
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { return refuse(400) }
        headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
      }
      let partial = Request(method: parts[0], target: parts[1], version: parts[2], headers: headers, body: [])
      if partial.header("Expect")?.lowercased() == "100-continue" {
        guard Socket.writeAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return nil }
      }
      guard let body = readBody(partial) else { return nil }
      return Request(method: parts[0], target: parts[1], version: parts[2], headers: headers, body: body)
    }

    /// Reads until the blank line ending the head; its length, or nil.
    private func readHead() -> Int? {
      while true {
        if let range = buffer.firstRange(of: Self.headEnd) { return range.lowerBound }
        if buffer.count > server.limits.maxHeaderBytes { return refuse(431) }
        guard receive() else { return nil }
      }
    }

    private func readBody(_ request: Request) -> [UInt8]? {
      if request.header("Transfer-Encoding")?.lowercased().contains("chunked") == true { return readChunked() }
      guard let text = request.header("Content-Length") else { return [] }
      guard let length = Int(text.trimmingCharacters(in: .whitespaces)), length >= 0 else { return refuse(400) }
      guard length <= server.limits.maxBodyBytes else { return refuse(413) }
      return take(length)
    }

    /// A chunked body, trailers skipped.
    private func readChunked() -> [UInt8]? {
      var body: [UInt8] = []
      while true {
        guard let line = readLine() else { return nil }
        let sizeText = line.split(separator: ";").first.map(String.init) ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
          return refuse(400)
        }
        if size == 0 { break }
        guard body.count + size <= server.limits.maxBodyBytes else { return refuse(413) }
        guard let chunk = take(size), readLine() == "" else { return nil }
        body += chunk
      }
      while let trailer = readLine(), !trailer.isEmpty {}
      return body
    }

    private func readLine() -> String? {
      while true {
        if let range = buffer.firstRange(of: Self.lineEnd) {
          let line = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
          buffer.removeFirst(range.upperBound)
          return line
        }
        if buffer.count > server.limits.maxHeaderBytes { return nil }
        guard receive() else { return nil }
      }
    }

    private func take(_ count: Int) -> [UInt8]? {
      while buffer.count < count {
        guard receive() else { return nil }
      }
      defer { buffer.removeFirst(count) }
      return Array(buffer[..<count])
    }

    /// Appends what the socket has; false at the end of the stream, on error or timeout.
    private func receive() -> Bool {
      let bytes = Socket.read(fd, upTo: 64 * 1024)
      buffer += bytes
      return !bytes.isEmpty
    }

    /// Answers a request the server cannot take and ends the connection.
    private func refuse<T>(_ status: Int) -> T? {
      var response = Response(status: status, text: "\(status) \(LoopbackHTTPServer.reason(status))\n")
      response.closeConnection = true
      _ = Socket.writeAll(fd, Self.encode(response, method: "GET", close: true))
      return nil
    }

    static func wantsClose(_ request: Request) -> Bool {
      let connection = request.header("Connection")?.lowercased() ?? ""
      if request.version == "HTTP/1.0" { return !connection.contains("keep-alive") }
      return connection.contains("close")
    }

    static func encode(_ response: Response, method: String, close: Bool) -> [UInt8] {
      var head = "HTTP/1.1 \(response.status) \(LoopbackHTTPServer.reason(response.status))\r\n"
      for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
      let bodyless = method == "HEAD" || response.status == 204 || response.status == 304
      if response.header("Content-Length") == nil && !(response.status == 204 || response.status == 304) {
        head += "Content-Length: \(response.body.count)\r\n"
      }
      if close { head += "Connection: close\r\n" }
      head += "\r\n"
      return Array(head.utf8) + (bodyless ? [] : response.body)
    }
  }
}
