#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A blocking loopback TCP socket for tests, with receive and send timeouts, and a buffer
/// of bytes received and not yet consumed.
final class TestSocket {
  struct Failure: Error, CustomStringConvertible {
    let operation: String
    let code: Int32
    var description: String { "\(operation): \(String(cString: strerror(code)))" }
    var isTimeout: Bool { code == EAGAIN || code == EWOULDBLOCK }
  }

  let descriptor: Int32
  private var buffer: [UInt8] = []
  private(set) var reachedEnd = false

  init(descriptor: Int32, timeout: Duration) {
    self.descriptor = descriptor
    let (seconds, attoseconds) = timeout.components
    var time = timeval()
    time.tv_sec = .init(seconds)
    time.tv_usec = .init(attoseconds / 1_000_000_000_000)
    _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { close(descriptor) }

  /// Connects to 127.0.0.1:`port`.
  static func connect(port: UInt16, address host: String = "127.0.0.1", timeout: Duration = .seconds(10)) throws
    -> TestSocket
  {
    #if os(Linux)
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr(host)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connectSocket(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      let failure = Failure(operation: "connect", code: errno)
      close(descriptor)
      throw failure
    }
    return TestSocket(descriptor: descriptor, timeout: timeout)
  }

  func send(_ text: String) throws { try send(Array(text.utf8)) }

  func send(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes { sendBytes(descriptor, $0) }
      guard sent > 0 else { throw Failure(operation: "send", code: errno) }
      offset += sent
    }
  }

  /// Reads once more into the buffer; false at end of stream.
  @discardableResult
  func receiveMore() throws -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
    guard count >= 0 else { throw Failure(operation: "recv", code: errno) }
    if count == 0 { reachedEnd = true }
    buffer += chunk[..<count]
    return count > 0
  }

  /// The bytes up to and including the first blank line; nil at end of stream before it.
  func readHead() throws -> [UInt8]? {
    while true {
      if let end = headEnd() {
        defer { buffer.removeFirst(end) }
        return Array(buffer[..<end])
      }
      guard try receiveMore() else { return nil }
    }
  }

  /// Exactly `count` bytes, or fewer at end of stream.
  func read(count: Int) throws -> [UInt8] {
    while buffer.count < count, try receiveMore() {}
    let taken = Array(buffer.prefix(count))
    buffer.removeFirst(taken.count)
    return taken
  }

  /// One line without its CRLF; nil at end of stream.
  func readLine() throws -> String? {
    while true {
      if let newline = buffer.firstIndex(of: 10) {
        let line = buffer[..<newline].filter { $0 != 13 }
        buffer.removeFirst(newline + 1)
        return String(decoding: line, as: UTF8.self)
      }
      guard try receiveMore() else { return nil }
    }
  }

  /// Everything until the peer closes (a reset also ends it).
  func readToEnd() throws -> [UInt8] {
    do {
      while try receiveMore() {}
    } catch let failure as Failure where failure.code == ECONNRESET {}
    defer { buffer.removeAll() }
    return buffer
  }

  func shutdownWriting() { _ = shutdown(descriptor, Int32(SHUT_WR)) }

  private func headEnd() -> Int? {
    guard buffer.count >= 4 else { return nil }
    for index in 0...(buffer.count - 4) where buffer[index..<index + 4].elementsEqual([13, 10, 13, 10]) {
      return index + 4
    }
    return nil
  }
}

private func sendBytes(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
  #if canImport(Glibc)
    Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
  #else
    Darwin.send(descriptor, bytes.baseAddress, bytes.count, 0)
  #endif
}

private func connectSocket(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
  #if canImport(Glibc)
    Glibc.connect(descriptor, address, length)
  #else
    Darwin.connect(descriptor, address, length)
  #endif
}
