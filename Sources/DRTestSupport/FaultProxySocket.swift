#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a read from a socket ended.
enum SocketRead {
  case bytes([UInt8])
  case endOfStream
  /// A wake signal fired (the proxy stops, or the connection is being dropped).
  case woken
  case failed
}

/// POSIX socket calls for the fault proxy. Every socket is non-blocking, and every wait is
/// a `poll` that also watches the caller's wake signals, so nothing blocks past a stop.
enum ProxySocket {
  #if os(Linux)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    static let sendFlags = Int32(MSG_NOSIGNAL)
  #else
    static let streamType = SOCK_STREAM
    static let sendFlags: Int32 = 0
  #endif

  /// A listening socket on 127.0.0.1 at `port`, or a port the kernel chose (0). Addresses
  /// are reusable, so the proxy can listen again on its port after an outage.
  static func listenOnLoopback(port: UInt16 = 0) throws -> (descriptor: Int32, port: UInt16) {
    let descriptor = try bindOnLoopback(port: port)
    guard listen(descriptor, 128) == 0 else {
      let failure = FaultProxy.SetupError(operation: "listen", code: errno)
      _ = closeDescriptor(descriptor)
      throw failure
    }
    makeNonBlocking(descriptor)
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return (descriptor, UInt16(bigEndian: actual.sin_port))
  }

  /// A socket bound to 127.0.0.1 at `port` that does not listen: connections to the port are
  /// refused (ECONNREFUSED), and while it is held the kernel gives the port to no other
  /// socket, neither another server's `bind` to port 0 nor a client's source port (which
  /// would connect to itself).
  static func bindOnLoopback(port: UInt16) throws -> Int32 {
    let descriptor = socket(AF_INET, streamType, 0)
    guard descriptor >= 0 else { throw FaultProxy.SetupError(operation: "socket", code: errno) }
    var reuse: Int32 = 1
    _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = ipv4Address(host: "127.0.0.1", port: port)!
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else {
      let failure = FaultProxy.SetupError(operation: "bind", code: errno)
      _ = closeDescriptor(descriptor)
      throw failure
    }
    return descriptor
  }

  /// An IPv4 address for a dotted-quad `host` (or `localhost`), nil for anything else.
  static func ipv4Address(host: String, port: UInt16) -> sockaddr_in? {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    #if canImport(Darwin)
      address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    let literal = host == "localhost" ? "127.0.0.1" : host
    guard inet_pton(AF_INET, literal, &address.sin_addr) == 1 else { return nil }
    return address
  }

  /// A connected socket, or nil when the connection fails, times out, or a wake signal fires.
  static func connect(to address: sockaddr_in, timeout: Duration, wakers: [Int32]) -> Int32? {
    let descriptor = socket(AF_INET, streamType, 0)
    guard descriptor >= 0 else { return nil }
    makeNonBlocking(descriptor)
    var target = address
    let result = withUnsafePointer(to: &target) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connectSocket(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if result == 0 { return descriptor }
    guard errno == EINPROGRESS, wait(descriptor, for: POLLOUT, wakers: wakers, timeout: timeout) == .ready,
      pendingError(descriptor) == 0
    else {
      _ = closeDescriptor(descriptor)
      return nil
    }
    return descriptor
  }

  /// A newly accepted client, made non-blocking, or nil when none is waiting.
  static func accept(from listener: Int32) -> Int32? {
    let descriptor = acceptSocket(listener)
    guard descriptor >= 0 else { return nil }
    makeNonBlocking(descriptor)
    return descriptor
  }

  /// Reads what is available, up to `limit` bytes, waiting for it until a wake signal fires.
  static func read(_ descriptor: Int32, limit: Int, wakers: [Int32]) -> SocketRead {
    var buffer = [UInt8](repeating: 0, count: limit)
    // Bounded: every turn waits for readiness or a wake; only EAGAIN/EINTR turn again.
    while true {
      guard wait(descriptor, for: POLLIN, wakers: wakers, timeout: nil) == .ready else { return .woken }
      let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count > 0 { return .bytes(Array(buffer[..<count])) }
      if count == 0 { return .endOfStream }
      guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return .failed }
    }
  }

  /// Writes all of `bytes`; false when the peer is gone or a wake signal fires first.
  static func writeAll(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>, wakers: [Int32]) -> Bool {
    var offset = bytes.startIndex
    // Bounded: every turn sends bytes or waits for room or a wake.
    while offset < bytes.endIndex {
      let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, sendFlags) }
      if sent > 0 {
        offset += sent
        continue
      }
      guard sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return false }
      guard wait(descriptor, for: POLLOUT, wakers: wakers, timeout: nil) == .ready else { return false }
    }
    return true
  }

  /// Sends FIN: the peer reads end of stream, while reading from it goes on.
  static func shutdownWriting(_ descriptor: Int32) {
    _ = shutdown(descriptor, Int32(SHUT_WR))
  }

  /// Closes `descriptor`; with `reset`, the peer gets an RST instead of a FIN.
  static func close(_ descriptor: Int32, reset: Bool = false) {
    if reset {
      var option = linger(l_onoff: 1, l_linger: 0)
      _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }
    _ = closeDescriptor(descriptor)
  }

  static func makeNonBlocking(_ descriptor: Int32) {
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
  }

  private static func pendingError(_ descriptor: Int32) -> Int32 {
    var error: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
    return error
  }
}

// The C calls whose names the methods above shadow.
#if canImport(Glibc)
  private func connectSocket(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    Glibc.connect(descriptor, address, length)
  }
  private func acceptSocket(_ descriptor: Int32) -> Int32 { Glibc.accept(descriptor, nil, nil) }
  private func closeDescriptor(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
#elseif canImport(Darwin)
  private func connectSocket(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    Darwin.connect(descriptor, address, length)
  }
  private func acceptSocket(_ descriptor: Int32) -> Int32 { Darwin.accept(descriptor, nil, nil) }
  private func closeDescriptor(_ descriptor: Int32) -> Int32 { Darwin.close(descriptor) }
#endif
