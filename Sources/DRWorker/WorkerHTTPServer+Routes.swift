import Hummingbird

/// The four routes; anything else is Hummingbird's 404.
///
/// `/livez`: the process serves (a liveness probe restarts only a worker that stopped
/// answering). `/readyz`: the policies are loaded and every policy's bucket answered its
/// last read, from the bucket watch's cache, never a read per probe. `/healthz`: the
/// backups are safe (a stale verified backup is an alert, not a reason to restart).
extension WorkerHTTPServer {
  /// The Prometheus text exposition format's content type, version 0.0.4.
  static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

  func router() -> Router<BasicRequestContext> {
    let router = Router()
    let metrics = metrics
    let health = health
    let clock = clock
    let readiness = readiness
    let staleAfter = readinessStaleAfter
    router.get("metrics") { _, _ in
      Self.text(metrics.render(), status: .ok, contentType: Self.metricsContentType)
    }
    router.get("healthz") { _, _ in
      let report = health.evaluate(now: clock())
      return Self.text(report.text, status: report.healthy ? .ok : .serviceUnavailable)
    }
    router.get("livez") { _, _ in Self.text("ok\n", status: .ok) }
    router.get("readyz") { _, _ in
      let report = readiness.evaluate(now: clock(), staleAfter: staleAfter)
      return Self.text(report.text, status: report.ready ? .ok : .serviceUnavailable)
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
