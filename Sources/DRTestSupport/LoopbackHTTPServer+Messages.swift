extension LoopbackHTTPServer {
  /// One request as the server received it.
  public struct Request: Sendable {
    public let method: String
    /// The request target: path and query, as sent (`/latest/api/token?x=1`).
    public let target: String
    public let version: String
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(
      method: String, target: String, version: String, headers: [(name: String, value: String)], body: [UInt8]
    ) {
      self.method = method
      self.target = target
      self.version = version
      self.headers = headers
      self.body = body
    }

    /// The target without its query.
    public var path: String { String(target.prefix { $0 != "?" }) }
    /// The query without its `?`, nil when there is none.
    public var query: String? {
      target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) }
    }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
      let lower = name.lowercased()
      return headers.first { $0.name.lowercased() == lower }?.value
    }
  }

  /// What the handler answers. `Content-Length` is added unless given.
  public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Close the connection after this response, even if the client wants to keep it.
    public var closeConnection = false
    /// Close the connection without answering at all (a peer that dies mid-request).
    public var dropConnection = false

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
      self.status = status
      self.headers = headers
      self.body = body
    }

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], text: String) {
      self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    public static func json(_ text: String, status: Int = 200) -> Response {
      Response(status: status, headers: [("Content-Type", "application/json")], text: text)
    }

    public static func xml(_ text: String, status: Int = 200) -> Response {
      Response(status: status, headers: [("Content-Type", "application/xml")], text: text)
    }

    /// The connection is closed without a response.
    public static var drop: Response {
      var response = Response(status: 0)
      response.dropConnection = true
      return response
    }

    func header(_ name: String) -> String? {
      headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
  }

  /// Bounds that keep a misbehaving client from hanging or flooding a test.
  public struct Limits: Sendable {
    /// Seconds one read or write may block; an idle keep-alive connection is closed after it.
    public var ioTimeout: Double = 5
    public var maxHeaderBytes = 64 * 1024
    public var maxBodyBytes = 64 * 1024 * 1024
    public var maxConnections = 64
    /// Requests kept in `requests`; older ones are dropped first.
    public var maxRecordedRequests = 10_000
    /// How long `stop()` waits for connection threads (a handler may still be sleeping).
    public var stopTimeout: Double = 2

    public init() {}
  }

  static func reason(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 204: "No Content"
    case 206: "Partial Content"
    case 304: "Not Modified"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 411: "Length Required"
    case 413: "Content Too Large"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 503: "Service Unavailable"
    default: "Status"
    }
  }
}
