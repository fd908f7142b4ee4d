import DRTestSupport
import Foundation
import Testing

@Suite(.ownThread)
struct HTTPFaultTests {
  @Test func slowDownForTheNextThreeRequestsThenForwarding() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .times(3))
      let socket = try TestSocket.connect(port: proxy.port)
      var responses: [TestResponse?] = []
      for index in 0..<5 {
        // Alternating bodies and none: the connection is kept, so the bodies were skipped exactly.
        responses.append(try socket.exchange(index % 2 == 0 ? "PUT" : "GET", "/r\(index)", body: patternBytes(777)))
      }
      #expect(responses.map { $0?.status } == [503, 503, 503, 200, 200])
      #expect(responses[0]?.text.contains("<Code>SlowDown</Code>") == true)
      #expect(responses[0]?.text.contains("<Message>Please reduce your request rate.</Message>") == true)
      #expect(responses[0]?.head.fields["content-type"] == "application/xml")
      #expect(responses[4]?.text == "ok PUT /r4 777")
      #expect(upstream.received.map(\.target) == ["/r3", "/r4"])
      let counters = proxy.counters
      #expect(counters.requestsSeen == 5)
      #expect(counters.requestsForwarded == 2)
      #expect(counters.injected(.response) == 3)
      #expect(counters.connectionsAccepted == 1)
    }
  }

  @Test func internalErrorForAPeriodThenForwarding() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectHTTPFault(.respond(.s3InternalError), budget: .during(.milliseconds(700)))
      let socket = try TestSocket.connect(port: proxy.port)
      let first = try socket.exchange("GET", "/a")
      let second = try socket.exchange("GET", "/b")
      Thread.sleep(forTimeInterval: 0.8)
      let later = try socket.exchange("GET", "/c")
      #expect(first?.status == 500)
      #expect(first?.text.contains("<Code>InternalError</Code>") == true)
      #expect(second?.status == 500)
      #expect(later?.status == 200)
    }
  }

  @Test func filterAppliesOnlyToPartUploads() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectHTTPFault(
        .respond(.s3SlowDown), budget: .always, filter: .init(method: "PUT", queryContains: "partNumber="))
      let socket = try TestSocket.connect(port: proxy.port)
      let targets = ["/b/k?uploads", "/b/k?partNumber=1&uploadId=u", "/b/k", "/b/k?partNumber=2&uploadId=u"]
      let methods = ["POST", "PUT", "PUT", "GET"]
      let statuses = try zip(methods, targets).map { try socket.exchange($0, $1, body: [])?.status }
      #expect(statuses == [200, 503, 200, 200])
      #expect(upstream.received.count == 3)
      #expect(proxy.counters.injected(.response) == 1)
    }
  }

  @Test func passFirstBreaksTheThirdPartUpload() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectHTTPFault(
        .respond(.s3SlowDown), filter: .init(method: "PUT", queryContains: "partNumber="), passFirst: 2)
      let socket = try TestSocket.connect(port: proxy.port)
      #expect(try socket.exchange("POST", "/b/k?uploads")?.status == 200)
      let statuses = try (1...4).map {
        try socket.exchange("PUT", "/b/k?partNumber=\($0)&uploadId=u", body: patternBytes(1000))?.status
      }
      #expect(statuses == [200, 200, 503, 200])
      let faulted = proxy.seenRequests.filter { $0.fault != nil }
      // fieldNames: what TestSocket.exchange sends, as the proxy recorded it.
      #expect(
        faulted == [
          .init(
            method: "PUT", target: "/b/k?partNumber=3&uploadId=u", fault: .response,
            fieldNames: ["host", "content-length"])
        ])
    }
  }

  @Test func expectContinueGetsTheErrorAtOnceAndTheConnectionCloses() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectHTTPFault(.respond(.s3SlowDown))
      let head = "PUT /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n"
      let socket = try TestSocket.connect(port: proxy.port)
      try socket.send(head)
      let response = try socket.readResponse()
      #expect(response?.status == 503)
      #expect(response?.head.fields["connection"] == "close")
      #expect(try socket.readToEnd().isEmpty)
      #expect(upstream.received.isEmpty)
      // Without the fault, the upstream's 100 Continue comes through and the body follows.
      let again = try TestSocket.connect(port: proxy.port)
      try again.send(head)
      #expect(try again.readHead().map { String(decoding: $0, as: UTF8.self).hasPrefix("HTTP/1.1 100") } == true)
      try again.send(patternBytes(5000))
      #expect(try again.readResponse()?.text == "ok PUT /big 5000")
    }
  }

  @Test func headRequestsGetTheErrorWithoutABody() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectHTTPFault(.respond(.s3SlowDown))
      let socket = try TestSocket.connect(port: proxy.port)
      let head = try socket.exchange("HEAD", "/k")
      #expect(head?.status == 503)
      #expect(head?.head.contentLength == FaultProxy.Response.s3SlowDown.body.count)
      #expect(try socket.exchange("GET", "/after")?.text == "ok GET /after 0")
    }
  }

  @Test func chunkedRequestsKeepTheirBoundaries() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectHTTPFault(.respond(.s3SlowDown), filter: .init(pathContains: "/third"))
      let socket = try TestSocket.connect(port: proxy.port)
      let body = patternBytes(10_000)
      let first = "PUT /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      // Two requests at once: the proxy must find where the chunked body ends.
      try socket.send(Array(first.utf8) + chunkedEncoding(body, size: 999) + requestBytes("GET", "/second"))
      #expect(try socket.readResponse()?.text == "ok PUT /first 10000")
      #expect(try socket.readResponse()?.text == "ok GET /second 0")
      try socket.send(
        Array(first.replacingOccurrences(of: "/first", with: "/third").utf8) + chunkedEncoding(body, size: 4096))
      #expect(try socket.readResponse()?.status == 503)
      #expect(try socket.exchange("GET", "/fourth")?.status == 200)
      #expect(upstream.received.map(\.target) == ["/first", "/second", "/fourth"])
      #expect(upstream.received.first == .init(method: "PUT", target: "/first", body: body, complete: true))
      #expect(proxy.counters.requestsSeen == 4)
    }
  }

  @Test func closeActionClosesWithoutAnswering() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectHTTPFault(.close, filter: .init(method: "DELETE"))
      let socket = try TestSocket.connect(port: proxy.port)
      #expect(try socket.exchange("GET", "/k")?.status == 200)
      #expect(try socket.exchange("DELETE", "/k") == nil)
      #expect(upstream.received.count == 1)
      #expect(proxy.counters.injected(.requestClose) == 1)
    }
  }

  @Test func requestStallMakesTheClientTimeOut() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectHTTPFault(.stall, filter: .init(pathContains: "/slow"))
      let socket = try TestSocket.connect(port: proxy.port, timeout: .seconds(1))
      #expect(try socket.exchange("GET", "/fast")?.status == 200)
      var failure: TestSocket.Failure?
      let time = elapsed {
        do { _ = try socket.exchange("GET", "/slow") } catch { failure = error as? TestSocket.Failure }
      }
      #expect(failure?.isTimeout == true)
      #expect(time >= .seconds(1))
      #expect(proxy.counters.injected(.requestStall) == 1)
    }
  }

  @Test func removedFaultsNoLongerApply() throws {
    try withHTTPProxy { proxy, _ in
      let id = proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .always)
      let socket = try TestSocket.connect(port: proxy.port)
      #expect(try socket.exchange("GET", "/a")?.status == 503)
      proxy.remove(id)
      #expect(try socket.exchange("GET", "/b")?.status == 200)
      proxy.injectHTTPFault(.respond(.s3InternalError), budget: .always)
      proxy.clearFaults()
      #expect(try socket.exchange("GET", "/c")?.status == 200)
    }
  }
}
