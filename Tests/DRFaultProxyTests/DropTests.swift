import DRTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.ownThread)
struct DropTests {
  @Test func tcpClientToServerDropCutsTheStreamAtNBytesOnce() throws {
    try withTCPProxy { proxy, upstream in
      proxy.injectDrop(.clientToServer, afterBytes: 1000)
      let first = try TestSocket.connect(port: proxy.port)
      try? first.send(patternBytes(10_000))
      _ = try first.readToEnd()  // The proxy closes the client's side too.
      #expect(upstream.waitForConnections(1) == [1000])
      let second = try TestSocket.connect(port: proxy.port)
      try second.send(patternBytes(5000))
      second.shutdownWriting()
      _ = try second.readToEnd()
      #expect(upstream.waitForConnections(2) == [1000, 5000])
      #expect(proxy.counters.injected(.dropClientToServer) == 1)
    }
  }

  @Test func tcpServerToClientDropCutsEveryConnectionAtNBytes() throws {
    try withTCPProxy(greeting: patternBytes(10_000)) { proxy, _ in
      proxy.injectDrop(.serverToClient, afterBytes: 4000, budget: .always)
      for _ in 0..<2 {
        let socket = try TestSocket.connect(port: proxy.port)
        #expect(try socket.readToEnd() == patternBytes(4000))
      }
      #expect(proxy.counters.injected(.dropServerToClient) == 2)
    }
  }

  @Test func resetDropEndsTheClientsReadWithAReset() throws {
    try withTCPProxy(greeting: patternBytes(10_000)) { proxy, _ in
      proxy.injectDrop(.serverToClient, afterBytes: 100, reset: true)
      let socket = try TestSocket.connect(port: proxy.port)
      var failure: TestSocket.Failure?
      do {
        while try socket.receiveMore() {}
      } catch let error as TestSocket.Failure {
        failure = error
      }
      #expect(failure?.code == ECONNRESET)
    }
  }

  @Test func httpDropCutsAMatchingRequestBodyAtNBytes() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectDrop(.clientToServer, afterBytes: 5000, filter: .init(method: "PUT"))
      let socket = try TestSocket.connect(port: proxy.port)
      #expect(try socket.exchange("GET", "/before")?.status == 200)
      _ = try? socket.sendRequest("PUT", "/cut", body: patternBytes(100_000))
      #expect((try? socket.readResponse()) == nil)
      #expect(eventually { upstream.received.count == 2 })
      #expect(upstream.received.last == .init(method: "PUT", target: "/cut", body: patternBytes(5000), complete: false))
      // Used up: the next upload goes through whole.
      let again = try TestSocket.connect(port: proxy.port)
      #expect(try again.exchange("PUT", "/whole", body: patternBytes(100_000))?.text == "ok PUT /whole 100000")
      #expect(proxy.counters.injected(.dropClientToServer) == 1)
    }
  }

  @Test func httpDropCutsAMatchingChunkedRequestBody() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectDrop(.clientToServer, afterBytes: 3000)
      let socket = try TestSocket.connect(port: proxy.port)
      let head = "PUT /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      let encoded = chunkedEncoding(patternBytes(20_000), size: 1000)
      try? socket.send(Array(head.utf8) + encoded)
      #expect((try? socket.readResponse()) == nil)
      #expect(eventually { upstream.received.count == 1 })
      #expect(upstream.received.first?.complete == false)
      #expect(proxy.counters.bytesClientToServer == head.utf8.count + 3000)
    }
  }

  @Test func httpDropCutsAMatchingResponseBodyAtNBytes() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectDrop(.serverToClient, afterBytes: 3000, filter: .init(pathContains: "/bytes/"))
      let socket = try TestSocket.connect(port: proxy.port)
      #expect(try socket.exchange("GET", "/other")?.status == 200)
      let response = try socket.exchange("GET", "/bytes/100000")
      #expect(response?.status == 200)
      #expect(response?.body == patternBytes(3000))
      #expect(socket.reachedEnd)
      let again = try TestSocket.connect(port: proxy.port)
      #expect(try again.exchange("GET", "/bytes/100000")?.body.count == 100_000)
      #expect(proxy.counters.injected(.dropServerToClient) == 1)
    }
  }

  @Test func httpResponseDropSkipsInterimResponses() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectDrop(.serverToClient, afterBytes: 5)
      let socket = try TestSocket.connect(port: proxy.port)
      try socket.send("PUT /expecting HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
      let interim = try socket.readHead().map { String(decoding: $0, as: UTF8.self) }
      #expect(interim?.hasPrefix("HTTP/1.1 100") == true)
      try socket.send("abc")
      let response = try socket.readResponse()
      #expect(response?.status == 200)
      #expect(response?.text == "ok PU")
    }
  }
}
