import Foundation

extension LoopbackHTTPServer {
  struct SocketError: Error, CustomStringConvertible {
    let call: String
    let code: Int32
    var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
  }

  /// The few socket calls the server makes.
  enum Socket {
    /// A listening socket on `address` at a port the kernel chooses, and that port.
    static func listenOnLoopback(address host: String) throws -> (Int32, Int) {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
      var yes: Int32 = 1
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = 0
      guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
        close(fd)
        throw SocketError(call: "inet_pton(\(host))", code: EINVAL)
      }
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
          bind(fd, socketAddress, length) == 0 && listen(fd, 64) == 0
            && getsockname(fd, socketAddress, &length) == 0
        }
      }
      guard bound else {
        let code = errno
        close(fd)
        throw SocketError(call: "bind/listen", code: code)
      }
      return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
      var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      return poll(&descriptor, 1, milliseconds) > 0
    }

    static func setTimeouts(_ fd: Int32, seconds: Double) {
      var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
      let size = socklen_t(MemoryLayout<timeval>.size)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, size)
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, size)
      var yes: Int32 = 1
      setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Writes everything; false when the peer is gone or the write timed out.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
      var offset = 0
      while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer in
          send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
        }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return false }
        offset += written
      }
      return true
    }

    /// Up to `count` bytes; empty at the end of the stream, on error or timeout.
    static func read(_ fd: Int32, upTo count: Int) -> [UInt8] {
      var buffer = [UInt8](repeating: 0, count: count)
      while true {
        let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, count, 0) }
        if received < 0 && errno == EINTR { continue }
        return received > 0 ? Array(buffer[..<received]) : []
      }
    }
  }
}
