import DRTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.ownThread)
struct StallAndStopTests {
  @Test func stalledConnectionMakesAClientWithAOneSecondTimeoutTimeOut() throws {
    try withHTTPProxy { proxy, upstream in
      proxy.injectStall(budget: .once)
      let stalled = try TestSocket.connect(port: proxy.port, timeout: .seconds(1))
      var failure: TestSocket.Failure?
      let time = elapsed {
        do { _ = try stalled.exchange("GET", "/stalled") } catch { failure = error as? TestSocket.Failure }
      }
      #expect(failure?.isTimeout == true)
      #expect(time >= .seconds(1))
      // Used up: the next connection is served.
      #expect(try TestSocket.connect(port: proxy.port).exchange("GET", "/served")?.status == 200)
      #expect(upstream.received.map(\.target) == ["/served"])
      #expect(proxy.counters.injected(.connectionStall) == 1)
    }
  }

  @Test func connectionsStallForAPeriod() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectStall(budget: .during(.milliseconds(500)))
      for _ in 0..<2 {
        let stalled = try TestSocket.connect(port: proxy.port, timeout: .milliseconds(200))
        #expect(throws: TestSocket.Failure.self) { try stalled.exchange("GET", "/stalled") }
      }
      Thread.sleep(forTimeInterval: 0.6)
      #expect(try TestSocket.connect(port: proxy.port).exchange("GET", "/served")?.status == 200)
      #expect(proxy.counters.injected(.connectionStall) == 2)
    }
  }

  @Test func curlWithMaxTimeOneSecondTimesOutOnAStall() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectStall()
      let result = try runCurl(["--max-time", "1", "\(proxy.endpoint)/stalled"])
      #expect(result.status == 28)  // CURLE_OPERATION_TIMEDOUT
    }
  }

  @Test func stopClosesTheListenerAndEveryConnection() throws {
    let upstream = try TestHTTPServer()
    defer { upstream.stop() }
    let proxy = try FaultProxy(upstreamPort: upstream.port)
    let idle = try TestSocket.connect(port: proxy.port)
    #expect(try idle.exchange("GET", "/a")?.status == 200)
    proxy.injectStall()
    let stalled = try TestSocket.connect(port: proxy.port)
    try stalled.send("GET /never HTTP/1.1\r\n\r\n")
    #expect(eventually { proxy.counters.connectionsAccepted == 2 })
    proxy.stop()
    #expect(eventually { proxy.counters.connectionsOpen == 0 })
    var refusal: Int32?
    do {
      _ = try TestSocket.connect(port: proxy.port)
    } catch let failure as TestSocket.Failure {
      refusal = failure.code
    }
    #expect(refusal == ECONNREFUSED)
    #expect(try idle.readToEnd().isEmpty)
    #expect(try stalled.readToEnd().isEmpty)
    #expect(proxy.counters.connectionsOpen == 0)
    proxy.stop()  // Idempotent.
  }

  @Test func releasingTheProxyStopsIt() throws {
    let upstream = try TestHTTPServer()
    defer { upstream.stop() }
    var proxy: FaultProxy? = try FaultProxy(upstreamPort: upstream.port)
    let port = proxy!.port
    #expect(try TestSocket.connect(port: port).exchange("GET", "/a")?.status == 200)
    proxy = nil
    #expect(throws: TestSocket.Failure.self) { try TestSocket.connect(port: port) }
  }

  @Test func anUnreachableUpstreamIsCountedAndTheClientReset() throws {
    let deadUpstream = try RefusingPort()
    let proxy = try FaultProxy(upstreamPort: UInt16(deadUpstream.port))
    defer { proxy.stop() }
    let socket = try TestSocket.connect(port: proxy.port)
    #expect((try? socket.exchange("GET", "/a"))?.status == nil)
    #expect(proxy.counters.upstreamConnectFailures == 1)
    withExtendedLifetime(deadUpstream) {}
  }
}
