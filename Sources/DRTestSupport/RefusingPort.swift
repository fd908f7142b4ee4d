import Foundation

/// A port on a loopback address (127.0.0.1 unless told) where nothing listens, for as long
/// as this value lives: a socket bound to it that never listens. Connections to it are
/// refused (ECONNREFUSED, what a client sees of a stopped server), and while it is held the
/// kernel gives the port to no other socket — neither another test's server binding port 0
/// nor a client's source port.
///
/// A server started and stopped does not do this: a full run once saw a test's probe of a
/// just-stopped server answered by another suite's server that had been handed the port.
public final class RefusingPort: Sendable {
  public let port: Int
  public let address: String
  private let descriptor: Int32

  /// A port the kernel chooses.
  public convenience init() throws {
    try self.init(port: 0)
  }

  /// Holds `port` (0: one the kernel chooses) on `address`, which must be free: a server's
  /// port is free once it stops listening, so holding it proves the server stopped and keeps
  /// any other from answering there. Holding a stopped server's port is best done with the
  /// server on an address of the test's own in 127.0.0.0/8, where no other suite's socket
  /// can be handed the freed port in between. A port of the kernel's choosing is bound
  /// without SO_REUSEADDR, so no reusable socket can share it; a given port is bound with
  /// it, as the stopped server's connections may still be closing there (binds to port 0
  /// and source ports still never share it).
  public init(port requested: Int, address host: String = "127.0.0.1") throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSupportError("socket: \(String(cString: strerror(errno)))") }
    if requested != 0 {
      var yes: Int32 = 1
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    }
    var socketAddress = sockaddr_in()
    socketAddress.sin_family = sa_family_t(AF_INET)
    socketAddress.sin_port = UInt16(requested).bigEndian
    guard inet_pton(AF_INET, host, &socketAddress.sin_addr) == 1 else {
      close(fd)
      throw TestSupportError("not an IPv4 address: \(host)")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &socketAddress) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else {
      let message = String(cString: strerror(errno))
      close(fd)
      throw TestSupportError("bind to \(host):\(requested): \(message)")
    }
    descriptor = fd
    self.address = host
    port = Int(UInt16(bigEndian: socketAddress.sin_port))
  }

  /// `http://ADDRESS:PORT`.
  public var baseURL: String { "http://\(address):\(port)" }

  deinit { close(descriptor) }
}
