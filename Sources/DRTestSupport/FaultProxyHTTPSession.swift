#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// HTTP mode, client to upstream: reads requests one by one, lets the HTTP faults take
/// them, and forwards the others byte for byte, with any drop armed for their bodies.
/// Bytes that do not parse as a request are passed on raw for the rest of the connection.
struct HTTPRequestSession {
  /// The longest request head parsed.
  static let headLimit = 65536
  let connection: ProxyConnection
  /// Client bytes read and not yet handled.
  private var pending: [UInt8] = []
  /// The client sent its end of stream.
  private var clientEnded = false
  /// Reading from the client failed, or the connection was dropped, or the proxy stops.
  private var interrupted = false
  private var writer: PacedWriter { PacedWriter(connection: connection, direction: .clientToServer) }

  init(connection: ProxyConnection) {
    self.connection = connection
  }

  mutating func run() {
    // Bounded: every turn handles one request from the client; ends on end of stream,
    // a stop, a failure, or a fault that ends the connection.
    while let (head, length) = readHead() {
      let proceed: Bool
      switch connection.state.admit(head) {
      case nil: proceed = forward(head, length: length)
      case .respond(let response): proceed = answer(head, length: length, with: response)
      case .stall: proceed = stall()
      case .close: proceed = close()
      }
      guard proceed else { return }
    }
  }

  /// The next request head and its length in `pending`; nil when there is none, after
  /// passing on whatever came instead.
  private mutating func readHead() -> (RequestHead, Int)? {
    // Bounded: every turn reads more bytes, up to the head limit.
    while true {
      if let end = RequestHead.end(in: pending) {
        if let head = RequestHead(pending[..<end]) { return (head, end) }
        passRest()
        return nil
      }
      guard pending.count <= Self.headLimit, fill() else {
        passRest()
        return nil
      }
    }
  }

  private mutating func forward(_ head: RequestHead, length: Int) -> Bool {
    connection.watchNextResponse(for: connection.state.pendingDrop(.serverToClient, for: head))
    var drop = connection.state.pendingDrop(.clientToServer, for: head)
    guard writer.forward(pending[..<length]) else { return false }
    pending.removeFirst(length)
    var framer = BodyFramer(head.framing)
    var sent = 0
    // Bounded: every turn handles body bytes from the client, until the body ends.
    while !framer.isComplete {
      guard !pending.isEmpty || fill() else { return false }
      guard let count = framer.consume(pending[...]) else {
        passRest()
        return false
      }
      if let pendingDrop = drop, sent + count > pendingDrop.afterBytes {
        if connection.state.consume(pendingDrop) {
          _ = writer.forward(pending[..<(pendingDrop.afterBytes - sent)])
          connection.drop(reset: pendingDrop.reset)
          return false
        }
        drop = nil
      }
      guard writer.forward(pending[..<count]) else { return false }
      pending.removeFirst(count)
      sent += count
    }
    return true
  }

  /// Answers without forwarding. A client waiting for `100 Continue` gets the answer at
  /// once and the connection closes; otherwise the body is read first and the connection
  /// kept for the next request.
  private mutating func answer(_ head: RequestHead, length: Int, with response: FaultProxy.Response) -> Bool {
    pending.removeFirst(length)
    let closing = head.expectsContinue
    if !closing {
      var framer = BodyFramer(head.framing)
      // Bounded: every turn discards body bytes, until the body ends.
      while !framer.isComplete {
        guard !pending.isEmpty || fill(), let count = framer.consume(pending[...]) else { return close() }
        pending.removeFirst(count)
      }
    }
    let bytes = response.serialized(answeringHEAD: head.method == "HEAD", closing: closing)
    guard ProxySocket.writeAll(connection.client, bytes[...], wakers: connection.wakers) else { return false }
    return closing ? lingeringClose() : true
  }

  /// Never answers: discards what the client sends until it closes or the proxy stops.
  private mutating func stall() -> Bool {
    pending.removeAll()
    // Bounded: ends when the client closes or the connection is dropped or the proxy stops.
    while fill() { pending.removeAll() }
    return close()
  }

  private func close() -> Bool {
    connection.drop(reset: false)
    return false
  }

  /// After an answer that ends the connection: FIN, then discard the client's bytes for a
  /// while, so that closing with unread bytes does not reset the answer away.
  private mutating func lingeringClose() -> Bool {
    ProxySocket.shutdownWriting(connection.client)
    let deadline = ContinuousClock.now + .seconds(2)
    // Bounded by the deadline.
    while ContinuousClock.now < deadline {
      let left = ContinuousClock.now.duration(to: deadline)
      let ready = ProxySocket.wait(connection.client, for: POLLIN, wakers: connection.wakers, timeout: left)
      guard ready == .ready, fill() else { break }
      pending.removeAll()
    }
    return close()
  }

  /// Forwards the rest of the connection unparsed.
  private mutating func passRest() {
    guard writer.forward(pending[...]) else { return }
    pending.removeAll()
    guard !clientEnded && !interrupted else { return }
    connection.pump(.clientToServer) { _ in nil }
  }

  /// Reads more client bytes into `pending`; false at end of stream, a stop or a failure.
  private mutating func fill() -> Bool {
    switch ProxySocket.read(connection.client, limit: PacedWriter.pieceLimit, wakers: connection.wakers) {
    case .bytes(let bytes):
      pending += bytes
      return true
    case .endOfStream:
      clientEnded = true
      return false
    case .failed:
      interrupted = true
      connection.drop(reset: true)
      return false
    case .woken:
      interrupted = true
      return false
    }
  }

  /// Passes the client's end of stream on, once the session is over.
  func finish() {
    if clientEnded { ProxySocket.shutdownWriting(connection.upstream) }
  }
}
