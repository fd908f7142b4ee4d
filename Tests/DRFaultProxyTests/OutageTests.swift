import DRTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// An outage emulates a stopped server: connections refused, open ones reset, and the same
/// port answering again when it ends (what a client sees of RGW stopped and restarted).
@Suite(.ownThread)
struct OutageTests {
  func refusal(_ port: UInt16) -> Int32? {
    do {
      _ = try TestSocket.connect(port: port, timeout: .seconds(2))
      return nil
    } catch let failure as TestSocket.Failure {
      return failure.code
    } catch {
      return nil
    }
  }

  @Test func refusesThenServesAgainOnTheSamePort() async throws {
    try await withAsyncHTTPProxy { proxy, upstream in
      let port = proxy.port
      let open = try TestSocket.connect(port: port)
      #expect(try open.exchange("GET", "/before")?.status == 200)
      try await proxy.startOutage()
      #expect(refusal(port) == ECONNREFUSED)
      // The open keep-alive connection was reset: the next request on it gets no answer.
      #expect((try? open.exchange("GET", "/during")) == nil)
      try await proxy.endOutage()
      #expect(proxy.port == port)
      #expect(try TestSocket.connect(port: port).exchange("GET", "/after")?.status == 200)
      #expect(upstream.received.map(\.target) == ["/before", "/after"])
      #expect(proxy.counters.injected(.outage) == 1)
    }
  }

  @Test func aRequestInFlightIsCutWhenTheOutageStarts() async throws {
    try await withAsyncHTTPProxy { proxy, upstream in
      proxy.bandwidthLimit = 10_000
      let socket = try TestSocket.connect(port: proxy.port)
      _ = try socket.sendRequest("PUT", "/slow", body: patternBytes(200_000))
      #expect(eventually { proxy.counters.bytesClientToServer > 0 })
      try await proxy.startOutage()
      #expect(eventually { proxy.counters.connectionsOpen == 0 })
      try await proxy.endOutage()
      proxy.bandwidthLimit = nil
      #expect(upstream.received.filter { $0.target == "/slow" && $0.complete }.isEmpty)
      #expect(try TestSocket.connect(port: proxy.port).exchange("GET", "/after")?.status == 200)
    }
  }

  @Test func outagesRepeat() async throws {
    try await withAsyncHTTPProxy { proxy, _ in
      for _ in 0..<3 {
        try await proxy.startOutage()
        #expect(refusal(proxy.port) == ECONNREFUSED)
        try await proxy.endOutage()
        #expect(try TestSocket.connect(port: proxy.port).exchange("GET", "/x")?.status == 200)
      }
      #expect(proxy.counters.injected(.outage) == 3)
    }
  }
}

/// `withHTTPProxy` for a body that awaits.
func withAsyncHTTPProxy(_ body: (FaultProxy, TestHTTPServer) async throws -> Void) async throws {
  let upstream = try TestHTTPServer()
  defer { upstream.stop() }
  let proxy = try FaultProxy(upstreamPort: upstream.port, mode: .http)
  defer { proxy.stop() }
  try await body(proxy, upstream)
}
