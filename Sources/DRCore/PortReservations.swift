import Foundation
import Synchronization

/// The ports `LoopbackPort.free()` handed out, each held by a socket of this process bound to
/// 127.0.0.1:port that never listens. The socket is bound without `SO_REUSEADDR`, so the bind
/// fails when anything else holds the port (that is the check and the claim in one step);
/// `SO_REUSEADDR` is set after it, so that a server that sets it too can listen on the port
/// while it is held (Linux lets reusable sockets share a port while none of them listens).
/// Every other reservation, with or without `SO_REUSEADDR` before its bind, is refused.
///
/// At most `limit` ports are held; past that the oldest is let go: by then its server has
/// long been started, or never will be.
public final class PortReservations: Sendable {
  /// The process's reservations, those of `LoopbackPort.free()`.
  public static let shared = PortReservations(limit: 256)

  public let limit: Int
  private let held = Mutex<[(port: Int, descriptor: Int32)]>([])

  public init(limit: Int) {
    precondition(limit > 0, "a reservation limit must be positive")
    self.limit = limit
  }

  deinit {
    held.withLock { ports in
      for (_, descriptor) in ports { close(descriptor) }
    }
  }

  /// Holds `port` when nothing else is bound to it (listening, in TIME_WAIT, or held).
  public func reserve(_ port: Int) throws -> Bool {
    try bound(port).map { keep(port, $0) } != nil
  }

  /// Holds the port the kernel chooses for a bind to port 0.
  public func reserveKernelChoice() throws -> Int {
    guard let descriptor = try bound(0) else {
      throw SystemError(failed: "bind to 127.0.0.1:0")
    }
    var address = LoopbackPort.loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else {
      let failure = SystemError(failed: "getsockname")
      close(descriptor)
      throw failure
    }
    let port = Int(UInt16(bigEndian: address.sin_port))
    keep(port, descriptor)
    return port
  }

  /// Closes the socket that holds `port`, if any.
  public func release(_ port: Int) {
    let released = held.withLock { ports -> [Int32] in
      let matching = ports.filter { $0.port == port }.map(\.descriptor)
      ports.removeAll { $0.port == port }
      return matching
    }
    for descriptor in released { close(descriptor) }
  }

  /// Whether this process holds `port`.
  public func holds(_ port: Int) -> Bool {
    held.withLock { ports in ports.contains { $0.port == port } }
  }

  /// A socket bound to 127.0.0.1:`port` without `SO_REUSEADDR`, then given it; nil when the
  /// port is taken.
  private func bound(_ port: Int) throws -> Int32? {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw SystemError(failed: "socket") }
    var address = LoopbackPort.loopback(port: port)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      let saved = errno
      close(descriptor)
      errno = saved
      return nil
    }
    var yes: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    return descriptor
  }

  private func keep(_ port: Int, _ descriptor: Int32) {
    let evicted = held.withLock { ports -> [Int32] in
      ports.append((port, descriptor))
      guard ports.count > limit else { return [] }
      let oldest = ports.prefix(ports.count - limit).map(\.descriptor)
      ports.removeFirst(ports.count - limit)
      return oldest
    }
    for descriptor in evicted { close(descriptor) }
  }
}
