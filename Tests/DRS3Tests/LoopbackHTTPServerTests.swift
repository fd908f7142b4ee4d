import DRHTTP
import DRTestSupport
import Foundation
import Testing

/// The test server itself: keep-alive, bodies, recording, limits, stopping.
struct LoopbackHTTPServerTests {
  typealias Server = LoopbackHTTPServer

  @Test func answersThroughLibcurlAndRecordsTheRequest() async throws {
    let server = try Server { request in
      Server.Response(
        status: 201, headers: [("X-Echo", request.header("x-name") ?? "")], text: "got \(request.bodyText)")
    }
    defer { server.stop() }
    let response = try await HTTPClient().send(
      HTTPRequest(
        method: "PUT", url: server.baseURL + "/bucket/key?partNumber=2", headers: [("X-Name", "value")],
        body: .bytes(Array("hello".utf8))))
    #expect(response.status == 201)
    #expect(response.bodyText == "got hello")
    #expect(response.head.header("x-echo") == "value")
    let recorded = try #require(server.requests.first)
    #expect(recorded.method == "PUT")
    #expect(recorded.target == "/bucket/key?partNumber=2")
    #expect(recorded.path == "/bucket/key")
    #expect(recorded.query == "partNumber=2")
    #expect(recorded.header("CONTENT-LENGTH") == "5")
    #expect(recorded.bodyText == "hello")
  }

  @Test func keepsConnectionsAlive() async throws {
    // A long idle limit: a busy test run may pause between the requests.
    var limits = Server.Limits()
    limits.ioTimeout = 120
    let server = try Server(limits: limits) { _ in Server.Response(text: "ok") }
    defer { server.stop() }
    let client = HTTPClient()
    for index in 0..<3 {
      let response = try await client.send(HTTPRequest(method: "GET", url: server.baseURL + "/\(index)"))
      #expect(response.bodyText == "ok")
    }
    #expect(server.requests.map(\.path) == ["/0", "/1", "/2"])
    #expect(server.connectionsAccepted == 1)
  }

  @Test func closesWhenAskedAndAnswersHeadWithoutABody() throws {
    let server = try Server { _ in Server.Response(text: "body") }
    defer { server.stop() }
    let client = try RawClient(port: server.port)
    let text = client.exchange("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
    #expect(text.contains("Content-Length: 4\r\n"))
    #expect(text.contains("Connection: close\r\n"))
    #expect(text.hasSuffix("\r\n\r\n"))
  }

  @Test func readsChunkedBodiesAndAnswersExpectContinue() throws {
    let server = try Server { request in Server.Response(text: request.bodyText) }
    defer { server.stop() }
    let client = try RawClient(port: server.port)
    let text = client.exchange(
      "POST /hook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
        + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n")
    #expect(text.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"))
    #expect(text.hasSuffix("hello, world"))
  }

  @Test(arguments: [
    ("GARBAGE\r\n\r\n", "400"), ("GET / HTTP/1.1\r\nno colon here\r\n\r\n", "400"),
    ("PUT / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "400"),
    ("PUT / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", "413"),
  ])
  func refusesMalformedRequests(_ request: String, _ status: String) throws {
    let server = try Server { _ in Server.Response(text: "never") }
    defer { server.stop() }
    let text = try RawClient(port: server.port).exchange(request)
    #expect(text.hasPrefix("HTTP/1.1 \(status) "))
    #expect(server.requests.isEmpty)
  }

  @Test func aStuckClientIsCutOffAfterTheIOTimeout() throws {
    var limits = Server.Limits()
    limits.ioTimeout = 0.3
    let server = try Server(limits: limits) { _ in Server.Response(text: "never") }
    defer { server.stop() }
    let client = try RawClient(port: server.port)
    let text = client.exchange("PUT / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
    #expect(text.isEmpty)
    #expect(server.requests.isEmpty)
  }

  @Test func aDroppedConnectionIsALostConnectionToTheClient() async throws {
    let server = try Server { _ in .drop }
    defer { server.stop() }
    await #expect(throws: HTTPError.self) {
      try await HTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL + "/"))
    }
    #expect(server.requests.count == 1)
  }

  @Test func stopIsPromptEvenWithAnIdleKeepAliveConnection() async throws {
    // An address of this test's own, so no other suite can be handed the port once freed.
    let server = try Server(address: "127.7.0.2") { _ in Server.Response(text: "ok") }
    _ = try await HTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL + "/"))
    server.stop()
    // Holding the port proves the listener closed, and keeps any other server from it.
    let closed = try RefusingPort(port: server.port, address: server.address)
    await #expect(throws: HTTPError.self) {
      try await HTTPClient().send(HTTPRequest(method: "GET", url: closed.baseURL + "/"))
    }
  }

  @Test func eachServerGetsItsOwnPort() throws {
    let first = try Server { _ in Server.Response() }
    let second = try Server { _ in Server.Response() }
    defer {
      first.stop()
      second.stop()
    }
    #expect(first.port != second.port)
    #expect(first.port > 0 && second.port > 0)
  }
}

/// A blocking client on a raw socket, for what libcurl will not send.
struct RawClient {
  let fd: Int32

  init(port: Int) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
    let connected = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  /// Sends `text`, then reads until the server closes (or 5 s pass) and closes too.
  func exchange(_ text: String) -> String {
    defer { close(fd) }
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
      if count <= 0 { break }
      received += buffer[..<count]
    }
    return String(decoding: received, as: UTF8.self)
  }
}
