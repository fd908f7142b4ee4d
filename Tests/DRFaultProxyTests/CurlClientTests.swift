import DRTestSupport
import Foundation
import Testing

/// A real HTTP client (curl, as dr's libcurl) through the proxy.
@Suite(.ownThread)
struct CurlClientTests {
  @Test func aRetryingClientGetsThroughTwoSlowDowns() throws {
    try withHTTPProxy { proxy, _ in
      proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .times(2))
      // A file, not /dev/null: curl truncates its output before retrying.
      let output = TemporaryDirectory.unique("fault-proxy") + "/out"
      defer { try? FileManager.default.removeItem(atPath: output) }
      let result = try runCurl([
        "--max-time", "20", "--retry", "3", "--retry-delay", "1", "-w", "%{http_code}", "-o", output,
        "\(proxy.endpoint)/object",
      ])
      #expect(result.output == "200")
      #expect(proxy.counters.injected(.response) == 2)
      #expect(proxy.counters.requestsSeen == 3)
    }
  }

  @Test func anUploadAwaitingContinueGetsTheSlowDownAndNoBodyIsForwarded() throws {
    try withHTTPProxy { proxy, upstream in
      let file = try temporaryFile(patternBytes(2 * 1_048_576))
      defer { try? FileManager.default.removeItem(atPath: file) }
      proxy.injectHTTPFault(.respond(.s3SlowDown), filter: .init(method: "PUT"))
      let upload = [
        "--max-time", "20", "-T", file, "-H", "Expect: 100-continue", "-w", "%{http_code}", "-o", "/dev/null",
        "\(proxy.endpoint)/object",
      ]
      #expect(try runCurl(upload).output == "503")
      #expect(upstream.received.isEmpty)
      #expect(try runCurl(upload).output == "200")
      #expect(upstream.received.map(\.body.count) == [2 * 1_048_576])
    }
  }

  @Test func aChunkedUploadPassesThroughByteForByte() throws {
    try withHTTPProxy { proxy, upstream in
      let body = patternBytes(300_000)
      let file = try temporaryFile(body)
      defer { try? FileManager.default.removeItem(atPath: file) }
      let result = try runCurl([
        "--max-time", "20", "-T", file, "-H", "Transfer-Encoding: chunked", "\(proxy.endpoint)/chunked",
      ])
      #expect(result.output == "ok PUT /chunked 300000")
      #expect(upstream.received.first?.body == body)
      #expect(proxy.counters.requestsForwarded == 1)
    }
  }
}

private func temporaryFile(_ bytes: [UInt8]) throws -> String {
  let path = TemporaryDirectory.unique("fault-proxy") + "/body"
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  return path
}
