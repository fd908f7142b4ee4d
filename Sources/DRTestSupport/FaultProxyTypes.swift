extension FaultProxy {
  /// How the proxy reads the client's bytes.
  public enum Mode: Sendable {
    /// Plain TCP: bytes are copied as they come; HTTP faults and filters never apply.
    case tcp
    /// HTTP/1.1: request heads are parsed to find request boundaries (Content-Length or
    /// chunked), so requests can be counted, filtered and answered by the proxy. Forwarded
    /// requests still pass byte for byte.
    case http
  }

  /// One direction of a proxied connection.
  public enum Direction: Sendable, Hashable {
    /// Client to upstream: requests and their bodies.
    case clientToServer
    /// Upstream to client: responses and their bodies.
    case serverToClient
  }

  /// How long a fault stays armed.
  public enum Budget: Sendable, Equatable {
    /// The next time it applies, then never again.
    case once
    /// The next `n` times it applies.
    case times(Int)
    /// Every time it applies, from when it is injected until this much time has passed.
    case during(Duration)
    /// Every time it applies, until it is removed.
    case always
  }

  /// Added delays. Zero means none.
  public struct Latency: Sendable, Equatable {
    /// Waited once per connection, after accepting it and before connecting upstream.
    public var perConnection: Duration
    /// Waited before forwarding each piece read from a socket (at most 64 KiB), both directions.
    public var perChunk: Duration

    public init(perConnection: Duration = .zero, perChunk: Duration = .zero) {
      self.perConnection = perConnection
      self.perChunk = perChunk
    }

    public static let none = Latency()
  }

  /// Which requests a fault applies to (HTTP mode). Every given part must match; a filter
  /// with no parts matches every request.
  public struct RequestFilter: Sendable, Equatable {
    /// The exact method, such as `PUT`.
    public var method: String?
    /// A substring of the path (the target before `?`).
    public var pathContains: String?
    /// A substring of the query (the target after `?`, as sent), such as `partNumber=`.
    public var queryContains: String?
    /// A header field the request must not have (any case), such as `Content-MD5`.
    public var lacking: String?

    public init(
      method: String? = nil, pathContains: String? = nil, queryContains: String? = nil, lacking: String? = nil
    ) {
      self.method = method
      self.pathContains = pathContains
      self.queryContains = queryContains
      self.lacking = lacking
    }

    func matches(_ head: RequestHead) -> Bool {
      if let method, head.method != method { return false }
      if let pathContains, !head.path.contains(pathContains) { return false }
      if let queryContains, !head.query.contains(queryContains) { return false }
      if let lacking, head.fieldNames.contains(lacking.lowercased()) { return false }
      return true
    }
  }

  /// What the proxy does with a request that an HTTP fault applies to.
  public enum HTTPAction: Sendable {
    /// Answer it without forwarding. A request announcing `Expect: 100-continue` is
    /// answered at once and its connection closed; otherwise its body is read and
    /// discarded, and the connection stays open for the next request.
    case respond(Response)
    /// Never forward or answer it; read and discard whatever the client sends until it
    /// gives up (closes) or the proxy stops.
    case stall
    /// Close the connection without answering.
    case close
  }

  /// Identifies an injected fault, to remove it.
  public struct FaultID: Sendable, Hashable {
    let value: Int
  }

  /// Injected faults, as counted in `Counters.faults`.
  public enum FaultKind: String, Sendable, Hashable, CaseIterable {
    /// A connection accepted and never answered (`injectStall`).
    case connectionStall
    /// A request answered by the proxy (`HTTPAction.respond`).
    case response
    /// A request never answered (`HTTPAction.stall`).
    case requestStall
    /// A connection closed instead of forwarding a request (`HTTPAction.close`).
    case requestClose
    /// A connection dropped after N bytes from the client.
    case dropClientToServer
    /// A connection dropped after N bytes from the upstream.
    case dropServerToClient
    /// An outage started (`startOutage`): connections refused and open ones reset until it ends.
    case outage
  }

  /// What the proxy has done since it started or since `resetCounters()`.
  public struct Counters: Sendable, Equatable {
    public var connectionsAccepted = 0
    /// Connections accepted and not yet closed.
    public var connectionsOpen = 0
    public var upstreamConnectFailures = 0
    /// Request heads read (HTTP mode), forwarded or not.
    public var requestsSeen = 0
    /// Request heads forwarded upstream (HTTP mode).
    public var requestsForwarded = 0
    /// Bytes forwarded to the upstream.
    public var bytesClientToServer = 0
    /// Bytes forwarded from the upstream to clients (the proxy's own answers excluded).
    public var bytesServerToClient = 0
    public var faults: [FaultKind: Int] = [:]

    /// How many faults of `kind` were injected.
    public func injected(_ kind: FaultKind) -> Int { faults[kind] ?? 0 }
    /// How many faults were injected, of every kind.
    public var faultsInjected: Int { faults.values.reduce(0, +) }
  }

  /// A request the proxy read (HTTP mode), and the fault it got, if any.
  public struct SeenRequest: Sendable, Equatable {
    public let method: String
    public let target: String
    public let fault: FaultKind?
    /// The names of its head's fields, lowercased (`content-md5`...).
    public let fieldNames: Set<String>

    public init(method: String, target: String, fault: FaultKind?, fieldNames: Set<String> = []) {
      self.method = method
      self.target = target
      self.fault = fault
      self.fieldNames = fieldNames
    }
  }
}
