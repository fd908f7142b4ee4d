import Foundation

/// TCP ports on 127.0.0.1: a free one, held until its server starts, and whether one is
/// taken.
public enum LoopbackPort {
  /// A port nothing else is bound to, for a server started on it later, and held for it
  /// until `release(_:)`: chosen at random below the kernel's ephemeral range
  /// (`ip_local_port_range`), where neither a bind to port 0 nor a connection's source port
  /// can take it. (The kernel's own choice for port 0 was handed straight to the next bind to
  /// port 0: a test's fault proxy then held the port a failover stack was about to listen
  /// on, and saw that stack answer during its outage.) Falls back to the kernel's choice when
  /// the range below is too small.
  ///
  /// The port is held by a socket bound to it that never listens (`PortReservations`), so no
  /// other caller of `free()`, in this process or another, is handed it meanwhile: a port
  /// that was merely free when chosen was once taken by another test's server before the
  /// failover stack it was chosen for started its memcached there. While held, the port
  /// refuses connections like any free one, and a server that sets `SO_REUSEADDR` (PostgreSQL,
  /// memcached, haproxy, Python's and Hummingbird's HTTP servers do) can still listen on it.
  public static func free() throws -> Int {
    let ephemeral = ephemeralRange()
    let candidates = 10_000..<max(10_000, ephemeral.lowerBound)
    if candidates.count >= 1_000 {
      // Bounded: 200 random tries, then the kernel's choice.
      for _ in 0..<200 {
        let port = Int.random(in: candidates)
        if try PortReservations.shared.reserve(port) { return port }
      }
    }
    return try PortReservations.shared.reserveKernelChoice()
  }

  /// Lets go of a port `free()` handed out, just before a server is started on it, so that a
  /// server without `SO_REUSEADDR` can bind it too. A port not held is left as it is.
  public static func release(_ port: Int) {
    PortReservations.shared.release(port)
  }

  /// The kernel's ephemeral ports (`/proc/sys/net/ipv4/ip_local_port_range`; Linux's default
  /// 32768-60999 when it cannot be read).
  public static func ephemeralRange() -> ClosedRange<Int> {
    let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    guard bounds.count == 2, bounds[0] <= bounds[1] else { return 32_768...60_999 }
    return bounds[0]...bounds[1]
  }

  /// Whether something accepts connections on 127.0.0.1:`port`.
  public static func isTaken(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    } == 0
  }

  /// The socket address 127.0.0.1:`port`.
  public static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }
}
