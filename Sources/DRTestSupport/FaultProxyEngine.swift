import Dispatch
import Foundation
import Synchronization

/// The proxy's machinery: the listening socket, a thread accepting connections, and two
/// threads per proxied connection (one per direction), all woken by the stop signal.
final class ProxyEngine: Sendable {
  let context: ProxyContext
  let port: UInt16
  /// The listening socket; -1 during an outage. Only the accept thread changes it (and
  /// `stop()` once that thread has ended), so no thread polls a descriptor being closed.
  let listener: Mutex<Int32>
  /// Whether an outage is asked for, and whether the accept thread has put it in place.
  let outage = Mutex((wanted: false, effective: false))
  /// During an outage: a socket bound to the port without listening, so the port refuses
  /// and stays the proxy's; -1 otherwise. Changed by the accept thread only.
  let reservation = Mutex<Int32>(-1)
  /// Every proxied connection that is open, to cut them all when an outage starts.
  let live = Mutex<[ObjectIdentifier: ProxyConnection]>([:])
  private let upstreamHost: String
  private let upstreamPort: UInt16
  private let connectTimeout: Duration
  private let threads = DispatchGroup()
  private let acceptEnded = DispatchSemaphore(value: 0)
  private let stopped = Mutex(false)

  init(upstreamHost: String, upstreamPort: UInt16, mode: FaultProxy.Mode, connectTimeout: Duration) throws {
    guard ProxySocket.ipv4Address(host: upstreamHost, port: upstreamPort) != nil else {
      throw FaultProxy.SetupError(operation: "upstream address \(upstreamHost)", code: EINVAL)
    }
    let stopSignal = try WakeSignal()
    do {
      let (descriptor, port) = try ProxySocket.listenOnLoopback()
      listener = Mutex(descriptor)
      self.port = port
    } catch {
      stopSignal.close()
      throw error
    }
    context = ProxyContext(state: FaultState(), stopSignal: stopSignal, mode: mode)
    self.upstreamHost = upstreamHost
    self.upstreamPort = upstreamPort
    self.connectTimeout = connectTimeout
    spawn("fault-proxy-accept") { [self] in
      acceptConnections()
      acceptEnded.signal()
    }
  }

  /// Wakes every thread, closes the listening socket once nothing polls it, and waits
  /// (up to 10 s) for the connection threads, which close their sockets as they end.
  func stop() {
    guard
      stopped.withLock({ wasStopped in
        defer { wasStopped = true }; return !wasStopped
      })
    else { return }
    context.stopSignal.signal()
    // Refuse new connections now, whenever the accept thread gets to run: shutdown takes
    // the socket out of listening at once, and its descriptor stays valid (it is closed
    // only after that thread ended, so the number cannot be reused under it). A loaded run
    // once saw a connection succeed after a stop whose accept thread took over 5 s.
    listener.withLock { if $0 >= 0 { _ = shutdown($0, Int32(SHUT_RDWR)) } }
    if acceptEnded.wait(timeout: .now() + 5) == .success {
      let descriptor = listener.withLock { $0 }
      if descriptor >= 0 { ProxySocket.close(descriptor) }
      releaseReservation()
    }
    // A thread still running keeps polling the stop signal: then leave it open.
    if threads.wait(timeout: .now() + 10) == .success { context.stopSignal.close() }
  }

  /// Accepts until the proxy stops, looking every 50 ms whether an outage starts or ends.
  private func acceptConnections() {
    let wakers = [context.stopSignal.readEnd]
    // Bounded: ends when the proxy stops.
    while true {
      applyOutage()
      let descriptor = listener.withLock { $0 }
      guard descriptor >= 0 else {
        guard ProxySocket.sleep(.milliseconds(20), wakers: wakers) else { return }
        continue
      }
      switch ProxySocket.wait(descriptor, for: POLLIN, wakers: wakers, timeout: .milliseconds(50)) {
      case .woken: return
      case .timedOut: continue
      case .ready: break
      }
      guard let client = ProxySocket.accept(from: descriptor) else {
        _ = ProxySocket.sleep(.milliseconds(10), wakers: wakers)  // Out of descriptors, say: do not spin.
        continue
      }
      spawn("fault-proxy-client") { [self] in serve(client) }
    }
  }

  private func serve(_ client: Int32) {
    let wakers = [context.stopSignal.readEnd]
    if inOutage {
      ProxySocket.close(client, reset: true)
      return
    }
    if context.state.acceptConnection() {
      ignoreUntilClosed(client, wakers: wakers)
      return
    }
    guard ProxySocket.sleep(context.state.connectionLatency, wakers: wakers),
      let upstream = connectUpstream(wakers: wakers)
    else {
      closeUnserved(client)
      return
    }
    let untrack: @Sendable (ObjectIdentifier) -> Void = { [weak self] id in
      self?.live.withLock { _ = $0.removeValue(forKey: id) }
    }
    guard
      let connection = try? ProxyConnection(client: client, upstream: upstream, context: context, onClose: untrack)
    else {
      ProxySocket.close(upstream)
      closeUnserved(client)
      return
    }
    track(connection)
    spawn("fault-proxy-upstream") { Self.serveServerToClient(connection) }
    Self.serveClientToServer(connection)
  }

  private static func serveClientToServer(_ connection: ProxyConnection) {
    defer { connection.threadFinished() }
    switch connection.context.mode {
    case .tcp:
      var seen = 0
      connection.pump(.clientToServer) { piece in
        defer { seen += piece.count }
        return connection.state.cut(.clientToServer, seen: seen, count: piece.count)
      }
    case .http:
      var session = HTTPRequestSession(connection: connection)
      session.run()
      session.finish()
    }
  }

  private static func serveServerToClient(_ connection: ProxyConnection) {
    defer { connection.threadFinished() }
    switch connection.context.mode {
    case .tcp:
      var seen = 0
      connection.pump(.serverToClient) { piece in
        defer { seen += piece.count }
        return connection.state.cut(.serverToClient, seen: seen, count: piece.count)
      }
    case .http:
      var cutter = ResponseCutter(nil)
      connection.pump(.serverToClient) { piece in
        if let watch = connection.takeResponseWatch() { cutter = ResponseCutter(watch) }
        guard let offset = cutter.cutOffset(in: piece), let drop = cutter.drop else { return nil }
        guard connection.state.consume(drop) else {
          cutter.disarm()
          return nil
        }
        return Cut(offset: offset, reset: drop.reset)
      }
    }
  }

  private func connectUpstream(wakers: [Int32]) -> Int32? {
    let address = ProxySocket.ipv4Address(host: upstreamHost, port: upstreamPort)!
    let upstream = ProxySocket.connect(to: address, timeout: connectTimeout, wakers: wakers)
    if upstream == nil { context.state.withStorage { $0.counters.upstreamConnectFailures += 1 } }
    return upstream
  }

  /// A stalled connection: never answered, its bytes discarded, until the client closes.
  private func ignoreUntilClosed(_ client: Int32, wakers: [Int32]) {
    // Bounded: ends when the client closes or the proxy stops.
    while case .bytes = ProxySocket.read(client, limit: PacedWriter.pieceLimit, wakers: wakers) {}
    closeUnserved(client)
  }

  private func closeUnserved(_ client: Int32) {
    ProxySocket.close(client, reset: true)
    context.state.withStorage { $0.counters.connectionsOpen -= 1 }
  }

  private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
    threads.startThread(name, stackSize: 1 << 20, body)
  }
}
