import DRCore
import DRHTTP

/// `dr worker --probe URL`: a running worker's health, asked over HTTP by dr itself, so the
/// container image needs no curl for its `HEALTHCHECK`.
extension Worker {
  /// GETs `url` once, never through a proxy, and prints the answer's body. Returns on a
  /// 2xx answer; throws (exit 1) on any other status or when nothing answers in time.
  static func probeWorker(at url: String) async throws {
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = 5
    configuration.lowSpeedTime = 10
    configuration.noProxy = "*"
    let response = try await HTTPClient(configuration: configuration).send(HTTPRequest(method: "GET", url: url))
    let body = String(decoding: response.body, as: UTF8.self)
    guard (200..<300).contains(response.head.status) else {
      throw ProbeFailure(url: url, status: response.head.status, body: body)
    }
    print(body, terminator: body.hasSuffix("\n") || body.isEmpty ? "" : "\n")
  }
}

/// A probed worker that answered, but not with 2xx (exit 1): its status and what it said.
struct ProbeFailure: DRError {
  let url: String
  let status: Int
  let body: String
  var exitStatus: ExitStatus { .failure }
  var errorCode: String { "worker.probeFailed" }

  var description: String {
    let said = body.split(separator: "\n").prefix(5).joined(separator: "; ")
    return "\(url) answered \(status)\(said.isEmpty ? "" : ": \(said)")".redacted
  }
}
