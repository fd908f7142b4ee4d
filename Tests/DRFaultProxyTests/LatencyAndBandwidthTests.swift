import DRTestSupport
import Testing

/// Only lower bounds on time: a loaded machine may be slower, never faster.
@Suite(.ownThread)
struct LatencyAndBandwidthTests {
  @Test func perConnectionLatencyDelaysTheFirstExchange() throws {
    try withHTTPProxy { proxy, _ in
      proxy.latency = .init(perConnection: .milliseconds(300))
      var status: Int?
      let time = try elapsed { status = try TestSocket.connect(port: proxy.port).exchange("GET", "/a")?.status }
      #expect(status == 200)
      #expect(time >= .milliseconds(300))
    }
  }

  @Test func perChunkLatencyDelaysBothDirections() throws {
    try withHTTPProxy { proxy, _ in
      proxy.latency = .init(perChunk: .milliseconds(150))
      let socket = try TestSocket.connect(port: proxy.port)
      // Two exchanges, each a request and a response delayed by 150 ms.
      var statuses: [Int?] = []
      let time = try elapsed {
        statuses.append(try socket.exchange("GET", "/a")?.status)
        statuses.append(try socket.exchange("GET", "/b")?.status)
      }
      #expect(statuses == [200, 200])
      #expect(time >= .milliseconds(600))
    }
  }

  @Test func latencyAppliesInTCPMode() throws {
    try withTCPProxy(greeting: Array("hello".utf8)) { proxy, _ in
      proxy.latency = .init(perConnection: .milliseconds(200), perChunk: .milliseconds(100))
      var greeting: [UInt8] = []
      let time = try elapsed { greeting = try TestSocket.connect(port: proxy.port).read(count: 5) }
      #expect(greeting == Array("hello".utf8))
      #expect(time >= .milliseconds(300))
    }
  }

  @Test func bandwidthLimitSlowsADownload() throws {
    try withHTTPProxy { proxy, _ in
      proxy.bandwidthLimit = 512 * 1024
      let socket = try TestSocket.connect(port: proxy.port)
      var response: TestResponse?
      let time = try elapsed { response = try socket.exchange("GET", "/bytes/1048576") }
      #expect(response?.body == patternBytes(1_048_576))
      #expect(time >= .seconds(2))
    }
  }

  @Test func bandwidthLimitSlowsAnUpload() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.bandwidthLimit = 512 * 1024
      let socket = try TestSocket.connect(port: proxy.port)
      var response: TestResponse?
      let time = try elapsed { response = try socket.exchange("PUT", "/up", body: patternBytes(1_048_576)) }
      #expect(response?.text == "ok PUT /up 1048576")
      #expect(upstream.received.first?.body == patternBytes(1_048_576))
      #expect(time >= .seconds(2))
    }
  }

  @Test func removingTheLimitRestoresFullSpeed() throws {
    try withHTTPProxy { proxy, _ in
      proxy.bandwidthLimit = 1024
      proxy.bandwidthLimit = nil
      proxy.latency = .none
      let socket = try TestSocket.connect(port: proxy.port)
      #expect(try socket.exchange("GET", "/bytes/1048576")?.body.count == 1_048_576)
      #expect(proxy.bandwidthLimit == nil)
    }
  }
}
