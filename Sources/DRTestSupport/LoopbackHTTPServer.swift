import Foundation
import Synchronization

/// A small HTTP/1.1 server for tests, on a loopback address (127.0.0.1 unless told) at a port
/// the kernel picks.
///
/// Plain POSIX sockets; the accept loop and every connection run on threads of their own,
/// so a handler may block (sleep to simulate a slow peer) without touching Swift's
/// cooperative pool. Keep-alive, `Content-Length` and chunked request bodies and
/// `Expect: 100-continue` are handled; every read and write is bounded by
/// `Limits.ioTimeout`, so a stuck client cannot hang a test. Requests are recorded in
/// arrival order before the handler sees them.
public final class LoopbackHTTPServer: Sendable {
  public typealias Handler = @Sendable (Request) -> Response

  public let port: Int
  /// The IPv4 loopback address it listens on.
  public let address: String
  public let limits: Limits
  let handler: Handler
  private let listener: Int32
  private let state = Mutex(State())
  private let threads = DispatchGroup()

  struct State {
    var stopped = false
    var connections: Set<Int32> = []
    var requests: [Request] = []
    var accepted = 0
  }

  /// Starts listening at once; `stop()` (or deinit) ends it. A test that holds the port after
  /// `stop()` (`RefusingPort(port:address:)`) gives an address of its own in 127.0.0.0/8, where
  /// no other suite's socket can be handed the freed port before the test holds it.
  public init(address: String = "127.0.0.1", limits: Limits = Limits(), handler: @escaping Handler) throws {
    self.address = address
    self.limits = limits
    self.handler = handler
    (listener, port) = try Socket.listenOnLoopback(address: address)
    startThread("loopback-http-accept") { [self] in acceptLoop() }
  }

  deinit { stop() }

  /// `http://ADDRESS:PORT`, without a trailing slash.
  public var baseURL: String { "http://\(address):\(port)" }

  /// The requests received so far, oldest first.
  public var requests: [Request] { state.withLock { $0.requests } }

  /// Connections accepted so far (keep-alive tests: two requests, one connection).
  public var connectionsAccepted: Int { state.withLock { $0.accepted } }

  /// Stops accepting, closes every connection, and waits (bounded) for the threads.
  ///
  /// The port stops listening before this returns, however long the threads take: the
  /// listener is shut down here (Linux moves a listening socket out of LISTEN on
  /// `shutdown`), under the lock, before the accept loop can see `stopped` and close it. A
  /// full run on a loaded machine once had the threads outlast the bounded wait, and a test
  /// holding the port found it still listening.
  public func stop() {
    let connections = state.withLock { state -> Set<Int32> in
      if state.stopped { return [] }
      _ = shutdown(listener, Int32(SHUT_RDWR))
      state.stopped = true
      return state.connections
    }
    for fd in connections { _ = shutdown(fd, Int32(SHUT_RDWR)) }
    _ = threads.wait(timeout: .now() + limits.stopTimeout)
  }

  var isStopped: Bool { state.withLock { $0.stopped } }

  func record(_ request: Request) {
    state.withLock { state in
      state.requests.append(request)
      if state.requests.count > limits.maxRecordedRequests { state.requests.removeFirst() }
    }
  }

  private func acceptLoop() {
    defer { close(listener) }
    while !isStopped {
      guard Socket.waitReadable(listener, milliseconds: 100) else { continue }
      let fd = accept(listener, nil, nil)
      if fd < 0 { continue }
      let admitted = state.withLock { state -> Bool in
        guard !state.stopped, state.connections.count < limits.maxConnections else { return false }
        state.connections.insert(fd)
        state.accepted += 1
        return true
      }
      guard admitted else {
        close(fd)
        continue
      }
      Socket.setTimeouts(fd, seconds: limits.ioTimeout)
      startThread("loopback-http-connection") { [self] in
        Connection(fd: fd, server: self).serve()
        state.withLock { _ = $0.connections.remove(fd) }
        close(fd)
      }
    }
  }

  private func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
    threads.startThread(name, stackSize: 512 * 1024, body)
  }
}
