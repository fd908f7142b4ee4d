import Foundation

/// TCP ports on 127.0.0.1: a free one chosen by the kernel, and whether one is taken.
public enum LoopbackPort {
  /// A port nothing is bound to right now, for a server started on it later: chosen at
  /// random below the kernel's ephemeral range (`ip_local_port_range`), where neither a bind
  /// to port 0 nor a connection's source port can take it in the meantime. (The kernel's own
  /// choice for port 0 was handed straight to the next bind to port 0: a test's fault proxy
  /// then held the port a failover stack was about to listen on, and saw that stack answer
  /// during its outage.) Falls back to the kernel's choice when the range below is too small.
  public static func free() throws -> Int {
    let ephemeral = ephemeralRange()
    let candidates = 10_000..<max(10_000, ephemeral.lowerBound)
    if candidates.count >= 1_000 {
      // Bounded: 200 random tries, then the kernel's choice.
      for _ in 0..<200 {
        let port = Int.random(in: candidates)
        if try bindable(port) { return port }
      }
    }
    return try kernelChoice()
  }

  /// The kernel's ephemeral ports (`/proc/sys/net/ipv4/ip_local_port_range`; Linux's default
  /// 32768-60999 when it cannot be read).
  public static func ephemeralRange() -> ClosedRange<Int> {
    let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    guard bounds.count == 2, bounds[0] <= bounds[1] else { return 32_768...60_999 }
    return bounds[0]...bounds[1]
  }

  /// Whether a socket (without `SO_REUSEADDR`) can be bound to 127.0.0.1:`port` now: nothing
  /// is bound to it, listening or in TIME_WAIT.
  static func bindable(_ port: Int) throws -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SystemError("socket failed: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
  }

  /// The kernel's choice for a bind to port 0.
  static func kernelChoice() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SystemError("socket failed: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw SystemError("bind failed: \(String(cString: strerror(errno)))") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
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

  static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }
}
