import Hummingbird

/// The two routes; anything else is Hummingbird's 404.
extension WorkerHTTPServer {
  /// The Prometheus text exposition format's content type, version 0.0.4.
  static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

  func router() -> Router<BasicRequestContext> {
    let router = Router()
    let metrics = metrics
    let health = health
    let clock = clock
    router.get("metrics") { _, _ in
      Self.text(metrics.render(), status: .ok, contentType: Self.metricsContentType)
    }
    router.get("healthz") { _, _ in
      let report = health.evaluate(now: clock())
      return Self.text(report.text, status: report.healthy ? .ok : .serviceUnavailable)
    }
    return router
  }

  static func text(
    _ body: String, status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8"
  ) -> Response {
    Response(
      status: status, headers: [.contentType: contentType],
      body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }
}
