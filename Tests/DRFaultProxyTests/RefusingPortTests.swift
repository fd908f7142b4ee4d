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

  @Test func aStoppedServersPortCanBeHeld() throws {
    let server = try TestHTTPServer()
    #expect(throws: TestSupportError.self) { try RefusingPort(port: Int(server.port)) }
    server.stop()
    let held = try RefusingPort(port: Int(server.port))
    #expect(held.port == Int(server.port))
  }
}
