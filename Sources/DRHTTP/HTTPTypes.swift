/// One HTTP request as DRHTTP sends it. Header names and values are sent as given.
public struct HTTPRequest: Sendable {
  public var method: String
  public var url: String
  public var headers: [(name: String, value: String)]
  public var body: HTTPRequestBody

  public init(
    method: String, url: String, headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}

public enum HTTPRequestBody: Sendable {
  case empty
  /// A body held in memory (a multipart part, an XML document).
  case bytes([UInt8])
  /// A body read while it is sent; `length` is sent as Content-Length.
  case stream(length: Int64, source: any HTTPBodySource)

  var length: Int64 {
    switch self {
    case .empty: 0
    case .bytes(let bytes): Int64(bytes.count)
    case .stream(let length, _): length
    }
  }
}

/// Supplies a streamed request body. Called on the transfer's own thread, so it may
/// block; returns the number of bytes written into `buffer`, 0 at the end.
public protocol HTTPBodySource: Sendable {
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
  /// Called before a retry of the same request; sources that cannot rewind throw.
  func rewind() throws
}

/// Receives a response body as it arrives. Called on the transfer's own thread; blocking
/// here slows the download down (back-pressure), throwing aborts it.
public protocol HTTPResponseSink: AnyObject, Sendable {
  /// The status and headers, once, before the first body bytes of a 2xx answer.
  func receiveHead(_ head: HTTPResponseHead)
  func receive(_ bytes: UnsafeRawBufferPointer) throws
}

extension HTTPResponseSink {
  public func receiveHead(_ head: HTTPResponseHead) {}
}

/// The status line and headers of a response.
public struct HTTPResponseHead: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]

  public init(status: Int, headers: [(name: String, value: String)]) {
    self.status = status
    self.headers = headers
  }

  /// The first header of that name, compared case-insensitively.
  public func header(_ name: String) -> String? {
    let lower = name.lowercased()
    return headers.first { $0.name.lowercased() == lower }?.value
  }
}

/// A whole response with its body in memory (small responses: XML, JSON).
public struct HTTPResponse: Sendable {
  public var head: HTTPResponseHead
  public var body: [UInt8]

  public init(head: HTTPResponseHead, body: [UInt8]) {
    self.head = head
    self.body = body
  }

  public var status: Int { head.status }
  public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Bytes sent and received so far, for progress reporting.
public struct HTTPProgress: Sendable {
  public var sent: Int64
  public var received: Int64
}
