extension FaultProxy {
  /// A response the proxy sends instead of forwarding a request. `Content-Length` is added,
  /// and `Connection: close` when the proxy closes the connection after it.
  public struct Response: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Equatable {
      public var name: String
      public var value: String
      public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
      }
    }

    public init(status: Int, reason: String, headers: [Header] = [], body: [UInt8] = []) {
      self.status = status
      self.reason = reason
      self.headers = headers
      self.body = body
    }

    /// An S3 error document, as S3 and RGW send them.
    public static func s3Error(
      status: Int, reason: String, code: String, message: String, requestID: String = "fault-proxy"
    ) -> Response {
      let xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message>"
        + "<RequestId>\(requestID)</RequestId></Error>"
      return Response(
        status: status, reason: reason,
        headers: [Header("Content-Type", "application/xml"), Header("x-amz-request-id", requestID)],
        body: Array(xml.utf8))
    }

    /// `503 SlowDown`: S3's request-rate throttling, which clients must retry with backoff.
    public static let s3SlowDown = s3Error(
      status: 503, reason: "Slow Down", code: "SlowDown", message: "Please reduce your request rate.")

    /// `500 InternalError`: a server failure that clients should retry.
    public static let s3InternalError = s3Error(
      status: 500, reason: "Internal Server Error", code: "InternalError",
      message: "We encountered an internal error. Please try again.")

    /// The response on the wire; without its body when answering a `HEAD` request.
    func serialized(answeringHEAD: Bool, closing: Bool) -> [UInt8] {
      var head = "HTTP/1.1 \(status) \(reason)\r\n"
      for header in headers { head += "\(header.name): \(header.value)\r\n" }
      head += "Content-Length: \(body.count)\r\n"
      if closing { head += "Connection: close\r\n" }
      head += "\r\n"
      return Array(head.utf8) + (answeringHEAD ? [] : body)
    }
  }
}
