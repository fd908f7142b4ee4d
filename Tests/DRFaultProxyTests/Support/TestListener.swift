import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A loopback server for tests: accepts on a kernel-chosen port and hands each connection,
/// as a `TestSocket` with a 10 s timeout, to `handle` on a thread of its own. The accept
/// loop polls every 100 ms for `stop()`, which tests must call (the loop holds the listener).
final class TestListener: Sendable {
  let port: UInt16
  private let descriptor: Int32
  private let stopped = Atomic<Bool>(false)
  private let acceptEnded = DispatchSemaphore(value: 0)

  init(handle: @escaping @Sendable (TestSocket) -> Void) throws {
    #if os(Linux)
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(descriptor, pointer, length) == 0 && listen(descriptor, 64) == 0
          && getsockname(descriptor, pointer, &length) == 0
      }
    }
    guard bound else { throw TestSocket.Failure(operation: "listen", code: errno) }
    self.descriptor = descriptor
    port = UInt16(bigEndian: address.sin_port)
    let thread = Thread { [self] in
      acceptLoop(handle)
      acceptEnded.signal()
    }
    thread.start()
  }

  func stop() {
    guard !stopped.exchange(true, ordering: .relaxed) else { return }
    acceptEnded.wait()
    close(descriptor)
  }

  private func acceptLoop(_ handle: @escaping @Sendable (TestSocket) -> Void) {
    while !stopped.load(ordering: .relaxed) {
      var watched = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      guard poll(&watched, 1, 100) > 0 else { continue }
      let client = accept(descriptor, nil, nil)
      guard client >= 0 else { continue }
      let socket = TestSocket(descriptor: client, timeout: .seconds(10))
      let sendable = UncheckedBox(socket)
      Thread { handle(sendable.value) }.start()
    }
  }
}

/// Hands a value to a new thread, which becomes its only user.
struct UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
