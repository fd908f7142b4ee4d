import Synchronization

/// What every thread of the proxy needs: the shared fault state and the stop signal.
struct ProxyContext: Sendable {
  let state: FaultState
  let stopSignal: WakeSignal
  let mode: FaultProxy.Mode
}

/// One proxied connection: the client's socket, the upstream's, and a wake signal that ends
/// both of its threads when it is dropped. The last of the two threads to finish closes it.
final class ProxyConnection: Sendable {
  let client: Int32
  let upstream: Int32
  let context: ProxyContext
  /// Called once, just before the sockets close (the engine stops tracking it).
  private let onClose: @Sendable (ObjectIdentifier) -> Void
  private let dropSignal: WakeSignal
  private let lifecycle = Mutex((threadsLeft: 2, reset: false))
  /// HTTP mode: the drop (or none) to watch the next response for, set by the request side.
  private let responseWatch = Mutex<PendingDrop??>(nil)

  init(
    client: Int32, upstream: Int32, context: ProxyContext,
    onClose: @escaping @Sendable (ObjectIdentifier) -> Void = { _ in }
  ) throws {
    self.client = client
    self.upstream = upstream
    self.context = context
    self.onClose = onClose
    dropSignal = try WakeSignal()
  }

  var state: FaultState { context.state }
  /// What every wait on this connection watches: the proxy stopping, the connection dropped.
  var wakers: [Int32] { [context.stopSignal.readEnd, dropSignal.readEnd] }

  /// Ends both threads; the connection closes with a FIN, or an RST with `reset`.
  func drop(reset: Bool) {
    lifecycle.withLock { $0.reset = $0.reset || reset }
    dropSignal.signal()
  }

  /// Called by each of the two threads as it ends; the last one closes everything.
  func threadFinished() {
    let closing = lifecycle.withLock { life -> Bool? in
      life.threadsLeft -= 1
      return life.threadsLeft == 0 ? life.reset : nil
    }
    guard let reset = closing else { return }
    onClose(ObjectIdentifier(self))
    ProxySocket.close(client, reset: reset)
    ProxySocket.close(upstream, reset: reset)
    dropSignal.close()
    state.withStorage { $0.counters.connectionsOpen -= 1 }
  }

  func watchNextResponse(for drop: PendingDrop?) {
    responseWatch.withLock { $0 = .some(drop) }
  }

  func takeResponseWatch() -> PendingDrop?? {
    responseWatch.withLock { watch in
      defer { watch = nil }
      return watch
    }
  }

  /// Copies `direction` until end of stream, a drop or a stop. `cut` says where to drop.
  func pump(_ direction: FaultProxy.Direction, cut: (ArraySlice<UInt8>) -> Cut?) {
    let source = direction == .clientToServer ? client : upstream
    let writer = PacedWriter(connection: self, direction: direction)
    // Bounded: ends at end of stream, on a failure, a drop or a stop.
    while true {
      switch ProxySocket.read(source, limit: PacedWriter.pieceLimit, wakers: wakers) {
      case .bytes(let piece):
        if let cut = cut(piece[...]) {
          _ = writer.forward(piece[..<cut.offset])
          drop(reset: cut.reset)
          return
        }
        guard writer.forward(piece[...]) else { return }
      case .endOfStream:
        ProxySocket.shutdownWriting(writer.destination)
        return
      case .failed:
        drop(reset: true)  // Pass the abort on.
        return
      case .woken:
        return
      }
    }
  }
}

/// Forwards bytes in one direction at the configured per-chunk latency and bandwidth,
/// counting them.
struct PacedWriter {
  /// The most bytes read or forwarded at once.
  static let pieceLimit = 65536
  let connection: ProxyConnection
  let direction: FaultProxy.Direction

  var destination: Int32 { direction == .clientToServer ? connection.upstream : connection.client }

  /// False when the destination is gone, or the connection is dropped or the proxy stops.
  func forward(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard !bytes.isEmpty else { return true }
    guard ProxySocket.sleep(connection.state.pacing.perChunk, wakers: connection.wakers) else { return false }
    var rest = bytes
    // Bounded: every turn sends at least one byte.
    while !rest.isEmpty {
      let bandwidth = connection.state.pacing.bandwidth
      let piece = rest.prefix(bandwidth.map { max(1, min($0 / 20, Self.pieceLimit)) } ?? rest.count)
      if let bandwidth, bandwidth > 0 {
        let wait = Duration.nanoseconds(Int64(piece.count) * 1_000_000_000 / Int64(bandwidth))
        guard ProxySocket.sleep(wait, wakers: connection.wakers) else { return false }
      }
      guard ProxySocket.writeAll(destination, piece, wakers: connection.wakers) else { return false }
      connection.state.countBytes(piece.count, direction)
      rest = rest.dropFirst(piece.count)
    }
    return true
  }
}
