import DRCore
import Foundation
import Testing

/// Ports for servers started later come from below the kernel's ephemeral range, so no bind
/// to port 0 (every test server, every fault proxy) can be handed one in the meantime; and
/// each is held from its choice until its server starts, so no other caller is handed it.
struct LoopbackPortTests {
  @Test func aFreePortIsBelowTheEphemeralRangeAndBindable() throws {
    let ephemeral = LoopbackPort.ephemeralRange()
    #expect(ephemeral.lowerBound > 11_000, "this machine's ephemeral range: \(ephemeral)")
    for _ in 0..<20 {
      let port = try LoopbackPort.free()
      defer { LoopbackPort.release(port) }
      #expect((10_000..<ephemeral.lowerBound).contains(port), "\(port)")
      #expect(!LoopbackPort.isTaken(port), "\(port)")
    }
  }

  /// Injected: a port from `free()`, then binds of every kind while it is held and after
  /// its release. Asserted: while held, another reservation and a plain bind (what a
  /// server without SO_REUSEADDR does) are refused, a connection is refused, and a server
  /// that sets SO_REUSEADDR listens there and is reached; once released, a plain bind works.
  @Test func aFreePortIsHeldUntilReleasedYetAReusableServerListensThere() throws {
    let port = try LoopbackPort.free()
    #expect(PortReservations.shared.holds(port))
    #expect(try !PortReservations(limit: 1).reserve(port), "another reservation was given \(port)")
    #expect(Self.bind(port, reuse: false, listen: false) == EADDRINUSE)
    #expect(!LoopbackPort.isTaken(port), "a held port answered")

    let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #expect(Self.bind(port, reuse: true, listen: true, descriptor: server) == 0)
    #expect(LoopbackPort.isTaken(port), "the reusable server on \(port) was not reached")
    close(server)

    LoopbackPort.release(port)
    #expect(!PortReservations.shared.holds(port))
    #expect(Self.bind(port, reuse: false, listen: false) == 0, "\(port) is still held after its release")
  }

  /// Injected: three ports held where two may be. Asserted: the oldest is let go, the two
  /// newest are kept.
  @Test func pastTheLimitTheOldestReservationIsLetGo() throws {
    let reservations = PortReservations(limit: 2)
    let ports = try (0..<3).map { _ in try reservations.reserveKernelChoice() }
    #expect(Set(ports).count == 3, "\(ports)")
    #expect(!reservations.holds(ports[0]))
    #expect(reservations.holds(ports[1]) && reservations.holds(ports[2]))
    for port in ports { reservations.release(port) }
    #expect(ports.allSatisfy { !reservations.holds($0) })
  }

  /// The errno of a bind to 127.0.0.1:`port` (0 when it worked), with or without
  /// SO_REUSEADDR set first, listening after it when asked; on `descriptor`, or on a socket
  /// of its own that it closes.
  static func bind(_ port: Int, reuse: Bool, listen: Bool, descriptor: Int32? = nil) -> Int32 {
    let fd = descriptor ?? socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { if descriptor == nil { close(fd) } }
    var yes: Int32 = 1
    if reuse { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) }
    var address = LoopbackPort.loopback(port: port)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Foundation.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else { return errno }
    if listen, Foundation.listen(fd, 8) != 0 { return errno }
    return 0
  }
}
