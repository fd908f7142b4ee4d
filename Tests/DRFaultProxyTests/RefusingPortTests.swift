import DRTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `RefusingPort`, the port tests give a client when nothing must answer there: refused while
/// held, and given to no other socket meanwhile.
@Suite(.ownThread)
struct RefusingPortTests {
  @Test func connectionsAreRefused() throws {
    let held = try RefusingPort()
    var refusal: Int32?
    do {
      _ = try TestSocket.connect(port: UInt16(held.port))
    } catch let failure as TestSocket.Failure {
      refusal = failure.code
    }
    #expect(refusal == ECONNREFUSED)
  }

  @Test func noOtherSocketIsGivenTheHeldPort() throws {
    let held = try RefusingPort()
    #expect(throws: TestSupportError.self) { try RefusingPort(port: held.port) }
    let servers = try (0..<50).map { _ in try TestHTTPServer() }
    defer { servers.forEach { $0.stop() } }
    #expect(!servers.map { Int($0.port) }.contains(held.port))
  }

  /// The server closes an idle keep-alive connection as it stops; the client keeps its end
  /// open, so the server's end lingers on the port (FIN_WAIT) and a plain bind there would
  /// fail. The port can still be held, as soon as `stop()` returns, even when the server's
  /// threads have not ended yet (two full runs on a loaded machine had them outlast stop's
  /// bounded wait, and the port was still listening: EADDRINUSE). The server has an address
  /// of the test's own, so no other suite's socket can take the freed port meanwhile.
  @Test func aStoppedServersPortCanBeHeld() throws {
    let server = try LoopbackHTTPServer(address: "127.7.0.1") { _ in LoopbackHTTPServer.Response(text: "ok") }
    let client = try TestSocket.connect(port: UInt16(server.port), address: server.address)
    try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    _ = try client.readHead()
    #expect(throws: TestSupportError.self) { try RefusingPort(port: server.port, address: server.address) }
    server.stop()
    let held = try RefusingPort(port: server.port, address: server.address)
    #expect(held.port == server.port)
    #expect(lingeringConnections(from: held.port) > 0)
  }

  /// A `stop()` that does not wait for the threads at all still returns with the port out of
  /// LISTEN: the accept loop, which closes the listener, may not even have woken yet. Twenty
  /// rounds, as the accept loop wakes every 100 ms and one round may catch it just right.
  @Test func aServerStopsListeningBeforeStopReturns() throws {
    var limits = LoopbackHTTPServer.Limits()
    limits.stopTimeout = 0
    for _ in 0..<20 {
      let server = try LoopbackHTTPServer(address: "127.7.0.3", limits: limits) { _ in
        LoopbackHTTPServer.Response(text: "ok")
      }
      server.stop()
      #expect(throws: Never.self) { try RefusingPort(port: server.port, address: server.address) }
    }
  }

  /// Connections in /proc/net/tcp from `port` on 127.7.0.1 that the server has closed and
  /// the kernel still keeps: FIN_WAIT1 (04), FIN_WAIT2 (05) or TIME_WAIT (06).
  private func lingeringConnections(from port: Int) -> Int {
    // Read to the end: /proc files report size 0, and a one-read file load stops at 4 KiB.
    let bytes = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/net/tcp")).readToEnd()) ?? nil
    let table = String(decoding: bytes ?? Data(), as: UTF8.self)
    let local = String(format: "%08X:%04X", UInt32(0x0100_077F), port)
    return table.split(separator: "\n").count { line in
      let fields = line.split(separator: " ")
      return fields.count > 3 && fields[1] == local && ["04", "05", "06"].contains(fields[3])
    }
  }
}
