import Foundation
import Synchronization

extension FaultProxy {
  /// Emulates the upstream server going down, as when RGW is stopped: the proxy stops
  /// listening, so new connections are refused by the kernel (`ECONNREFUSED`, what a client
  /// sees of a stopped server), and every open connection is reset mid-request. Returns once
  /// that is in place.
  ///
  /// An emulation rather than stopping the real RGW: the test RGW is shared by every test
  /// running in parallel, and restarting it takes seconds that would disturb them all.
  public func startOutage() async throws {
    try await engine.setOutage(true)
    state.withStorage { $0.count(.outage) }
  }

  /// Ends an outage: the proxy listens again on the same port and forwards as before.
  /// Throws when the port could not be taken back.
  public func endOutage() async throws {
    try await engine.setOutage(false)
  }
}

extension ProxyEngine {
  /// Asks the accept thread to start or end an outage, and waits (without blocking a
  /// thread) until it has. The accept thread looks every 50 ms; the 60 s bound is only
  /// for a machine so loaded that it is not scheduled (5 s ran out in a full run).
  func setOutage(_ wanted: Bool) async throws {
    outage.withLock { $0.wanted = wanted }
    let deadline = ContinuousClock.now + .seconds(60)
    // Bounded by the deadline.
    while ContinuousClock.now < deadline {
      if outage.withLock({ $0.effective == wanted }) { return }
      try await Task.sleep(for: .milliseconds(10))
    }
    // A task not resumed until past the deadline (a starved cooperative pool) looks once
    // more: the accept thread may well have done it meanwhile.
    if outage.withLock({ $0.effective == wanted }) { return }
    throw FaultProxy.SetupError(operation: wanted ? "start an outage" : "listen again on port \(port)", code: EAGAIN)
  }

  /// On the accept thread: closes the listener and resets every connection when an outage
  /// is wanted, listens again on the same port when it is over.
  func applyOutage() {
    let (wanted, effective) = outage.withLock { ($0.wanted, $0.effective) }
    guard wanted != effective else { return }
    if wanted {
      let descriptor = listener.withLock { descriptor in
        defer { descriptor = -1 }
        return descriptor
      }
      if descriptor >= 0 { ProxySocket.close(descriptor) }
      // The port stays ours, refusing: a stopped server's port is not taken by another
      // test's server, nor by a client's source port connecting to itself (a full run
      // once saw a connection succeed during an outage).
      reservation.withLock { $0 = (try? ProxySocket.bindOnLoopback(port: port)) ?? -1 }
      outage.withLock { $0.effective = true }
      live.withLock { connections in connections.values.forEach { $0.drop(reset: true) } }
    } else {
      releaseReservation()
      guard let (descriptor, _) = try? ProxySocket.listenOnLoopback(port: port) else { return }
      listener.withLock { $0 = descriptor }
      outage.withLock { $0.effective = false }
    }
  }

  /// Closes the socket that held the port during an outage, if any.
  func releaseReservation() {
    let held = reservation.withLock { held in
      defer { held = -1 }
      return held
    }
    if held >= 0 { ProxySocket.close(held) }
  }

  /// Remembers an open connection so an outage can cut it; one made while an outage
  /// started is cut at once.
  func track(_ connection: ProxyConnection) {
    live.withLock { $0[ObjectIdentifier(connection)] = connection }
    if outage.withLock({ $0.wanted }) { connection.drop(reset: true) }
  }

  /// Whether a connection accepted just now must be refused (an outage began meanwhile).
  var inOutage: Bool { outage.withLock { $0.wanted } }
}
