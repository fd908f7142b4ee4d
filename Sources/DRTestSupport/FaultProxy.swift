import Foundation

/// A TCP/HTTP proxy for tests that injects faults between a client (such as `dr`) and an
/// upstream server on the loopback interface: latency, bandwidth limits, connections
/// dropped after N bytes, requests answered with errors, stalls. Faults can be changed at
/// any time from any thread, combine, and apply to connections and requests as they come.
///
///     let proxy = try FaultProxy(upstream: "http://127.0.0.1:7480")
///     defer { proxy.stop() }
///     proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .times(3),
///                           filter: .init(method: "PUT", queryContains: "partNumber="))
///     // point the client at proxy.endpoint
///
/// It listens on 127.0.0.1 with a port the kernel chose and uses POSIX sockets and
/// threads of its own. `stop()` (or releasing the proxy) closes every socket.
public final class FaultProxy: Sendable {
  let engine: ProxyEngine
  var state: FaultState { engine.context.state }

  /// Starts proxying to `upstreamHost` (an IPv4 address or `localhost`) and `upstreamPort`.
  /// `connectTimeout` bounds each connection to the upstream.
  public init(
    upstreamHost: String = "127.0.0.1", upstreamPort: UInt16, mode: Mode = .http,
    connectTimeout: Duration = .seconds(5)
  ) throws {
    engine = try ProxyEngine(
      upstreamHost: upstreamHost, upstreamPort: upstreamPort, mode: mode, connectTimeout: connectTimeout)
  }

  /// Starts proxying to the host and port of an `http://` URL, such as the test S3 endpoint.
  public convenience init(upstream url: String, mode: Mode = .http) throws {
    guard let components = URLComponents(string: url), let host = components.host else {
      throw SetupError(operation: "upstream URL \(url)", code: EINVAL)
    }
    try self.init(upstreamHost: host, upstreamPort: UInt16(components.port ?? 80), mode: mode)
  }

  deinit { engine.stop() }

  /// The port the proxy listens on, on 127.0.0.1.
  public var port: UInt16 { engine.port }
  /// `http://127.0.0.1:<port>`, for clients.
  public var endpoint: String { "http://127.0.0.1:\(port)" }

  /// Stops accepting, ends every connection and closes every socket; connecting to `port`
  /// is refused afterwards. Idempotent.
  public func stop() { engine.stop() }

  /// Delays added per connection and per forwarded chunk.
  public var latency: Latency {
    get { state.withStorage { $0.latency } }
    set { state.withStorage { $0.latency = newValue } }
  }

  /// Bytes per second each connection may forward in each direction; nil for no limit.
  public var bandwidthLimit: Int? {
    get { state.withStorage { $0.bandwidth } }
    set {
      precondition(newValue.map { $0 > 0 } ?? true, "a bandwidth limit must be positive")
      state.withStorage { $0.bandwidth = newValue }
    }
  }

  /// Requests that `filter` matches (nil: every request) get `action` instead of being
  /// forwarded, after the first `passFirst` of them were forwarded, within `budget`. HTTP mode.
  @discardableResult
  public func injectHTTPFault(
    _ action: HTTPAction, budget: Budget = .once, filter: RequestFilter? = nil, passFirst: Int = 0
  ) -> FaultID {
    state.withStorage { storage in
      let id = storage.newID()
      let rule = HTTPRule(action: action, filter: filter, passFirst: passFirst)
      storage.httpFaults.append(Armed(id: id, rule: rule, allowance: Allowance(budget)))
      return id
    }
  }

  /// Drops a connection once it has forwarded `afterBytes` bytes in `direction` and more
  /// come: the peer gets exactly `afterBytes`, then a FIN (an RST with `reset`).
  /// TCP mode counts from the connection's start, and a fault with a filter never applies.
  /// HTTP mode counts the body of each request (`clientToServer`, as sent: chunked framing
  /// included) or of the response to it (`serverToClient`, after the final response head),
  /// for requests that `filter` matches. The allowance is used when the drop happens, so a
  /// body shorter than `afterBytes` leaves it armed.
  @discardableResult
  public func injectDrop(
    _ direction: Direction, afterBytes: Int, budget: Budget = .once, filter: RequestFilter? = nil,
    reset: Bool = false
  ) -> FaultID {
    precondition(afterBytes >= 0, "afterBytes must not be negative")
    return state.withStorage { storage in
      let id = storage.newID()
      let rule = DropRule(direction: direction, afterBytes: afterBytes, filter: filter, reset: reset)
      storage.drops.append(Armed(id: id, rule: rule, allowance: Allowance(budget)))
      return id
    }
  }

  /// New connections are accepted and never answered, within `budget`; they stay open,
  /// their bytes discarded, until the client closes them or the proxy stops.
  @discardableResult
  public func injectStall(budget: Budget = .once) -> FaultID {
    state.withStorage { storage in
      let id = storage.newID()
      storage.stalls.append(Armed(id: id, rule: (), allowance: Allowance(budget)))
      return id
    }
  }

  /// Disarms one injected fault.
  public func remove(_ id: FaultID) {
    state.withStorage { storage in
      storage.httpFaults.removeAll { $0.id == id }
      storage.drops.removeAll { $0.id == id }
      storage.stalls.removeAll { $0.id == id }
    }
  }

  /// Disarms every fault and removes latency and bandwidth limits.
  public func clearFaults() {
    state.withStorage { storage in
      storage.httpFaults.removeAll()
      storage.drops.removeAll()
      storage.stalls.removeAll()
      storage.latency = .none
      storage.bandwidth = nil
    }
  }

  public var counters: Counters { state.withStorage { $0.counters } }

  /// The latest requests read (HTTP mode), oldest first, at most 1000.
  public var seenRequests: [SeenRequest] { state.withStorage { $0.seenRequests } }

  /// Zeroes the counters (except open connections) and forgets the requests seen.
  public func resetCounters() {
    state.withStorage { storage in
      storage.counters = Counters(connectionsOpen: storage.counters.connectionsOpen)
      storage.seenRequests.removeAll()
    }
  }
}
