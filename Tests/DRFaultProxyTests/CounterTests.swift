import DRTestSupport
import Testing

@Suite(.ownThread)
struct CounterTests {
  @Test func countsConnectionsRequestsAndBytesEachWay() throws {
    try withHTTPProxy { proxy, _ in
      var sent = 0
      var received = 0
      for requests in [["/a", "/bytes/5000"], ["/c"]] {
        let socket = try TestSocket.connect(port: proxy.port)
        for target in requests {
          sent += try socket.sendRequest("PUT", target, body: patternBytes(300))
          received += try socket.readResponse()?.byteCount ?? 0
        }
      }
      // Counted after each write returns: the client may read before that.
      #expect(eventually { proxy.counters.bytesServerToClient == received })
      #expect(eventually { proxy.counters.connectionsOpen == 0 })
      let counters = proxy.counters
      #expect(counters.connectionsAccepted == 2)
      #expect(counters.requestsSeen == 3)
      #expect(counters.requestsForwarded == 3)
      #expect(counters.bytesClientToServer == sent)
      #expect(counters.faultsInjected == 0)
      #expect(proxy.seenRequests.map(\.target) == ["/a", "/bytes/5000", "/c"])
    }
  }

  @Test func countsEachKindOfFault() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .times(2))
      let socket = try TestSocket.connect(port: proxy.port)
      for target in ["/1", "/2", "/3"] { _ = try socket.exchange("GET", target) }
      proxy.injectHTTPFault(.close)
      _ = try socket.exchange("GET", "/4")
      let counters = proxy.counters
      #expect(counters.faults == [.response: 2, .requestClose: 1])
      #expect(counters.faultsInjected == 3)
      #expect(counters.requestsSeen == 4)
      #expect(counters.requestsForwarded == 1)
      #expect(proxy.seenRequests.map(\.fault) == [.response, .response, nil, .requestClose])
    }
  }

  @Test func tcpModeCountsBytesButNoRequests() throws {
    try withTCPProxy(greeting: patternBytes(2000)) { proxy, upstream in
      let socket = try TestSocket.connect(port: proxy.port)
      try socket.send(patternBytes(700))
      #expect(try socket.read(count: 2000).count == 2000)
      socket.shutdownWriting()
      _ = try socket.readToEnd()
      #expect(upstream.waitForConnections(1) == [700])
      let counters = proxy.counters
      #expect(counters.bytesClientToServer == 700)
      #expect(counters.bytesServerToClient == 2000)
      #expect(counters.requestsSeen == 0)
      #expect(counters.connectionsAccepted == 1)
    }
  }

  @Test func resetCountersStartsOver() throws {
    try withHTTPProxy { proxy, _ in
      let socket = try TestSocket.connect(port: proxy.port)
      _ = try socket.exchange("GET", "/a")
      proxy.resetCounters()
      #expect(proxy.counters.requestsSeen == 0)
      #expect(proxy.counters.connectionsOpen == 1)
      #expect(proxy.seenRequests.isEmpty)
      _ = try socket.exchange("GET", "/b")
      #expect(proxy.counters.requestsSeen == 1)
    }
  }
}
