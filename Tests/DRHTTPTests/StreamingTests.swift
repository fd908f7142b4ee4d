import DRHTTP
import DRTestSupport
import Foundation
import Synchronization
import Testing

/// Streaming request and response bodies against the loopback test server.
struct StreamingTests {
  /// A body produced on demand, 64 KiB at a time, counting its reads.
  final class CountingSource: HTTPBodySource, @unchecked Sendable {
    let total: Int
    private let produced = Mutex(0)

    init(total: Int) {
      self.total = total
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
      produced.withLock { done in
        let count = min(buffer.count, 65_536, total - done)
        for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: done + index) }
        done += count
        return count
      }
    }

    func rewind() throws { produced.withLock { $0 = 0 } }
  }

  final class Collector: HTTPResponseSink, @unchecked Sendable {
    let bytes = Mutex<[UInt8]>([])
    let heads = Mutex(0)
    func receiveHead(_ head: HTTPResponseHead) { heads.withLock { $0 += 1 } }
    func receive(_ chunk: UnsafeRawBufferPointer) throws { bytes.withLock { $0 += chunk } }
  }

  @Test func aStreamedBodyArrivesWhole() async throws {
    let server = try LoopbackHTTPServer { request in
      LoopbackHTTPServer.Response(text: "\(request.body.count) \(request.header("Content-Length") ?? "")")
    }
    defer { server.stop() }
    let total = 3 * 1_048_576 + 5
    let request = HTTPRequest(
      method: "PUT", url: server.baseURL + "/upload",
      body: .stream(length: Int64(total), source: CountingSource(total: total)))
    let response = try await HTTPClient().send(request)
    #expect(response.bodyText == "\(total) \(total)")
    let received = try #require(server.requests.first?.body)
    #expect(received.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset) })
  }

  @Test func aSuccessfulBodyGoesToTheSinkAndAnErrorBodyIsKept() async throws {
    let payload = [UInt8](repeating: 7, count: 500_000)
    let server = try LoopbackHTTPServer { request in
      request.path == "/ok"
        ? LoopbackHTTPServer.Response(status: 200, headers: [], body: payload)
        : LoopbackHTTPServer.Response(status: 404, headers: [], body: Array("<Error/>".utf8))
    }
    defer { server.stop() }
    let sink = Collector()
    let ok = try await HTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL + "/ok"), sink: sink)
    #expect(ok.body.isEmpty)
    #expect(sink.bytes.withLock { $0 } == payload)
    #expect(sink.heads.withLock { $0 } == 1)
    let missing = try await HTTPClient().send(
      HTTPRequest(method: "GET", url: server.baseURL + "/missing"), sink: Collector())
    #expect(missing.status == 404)
    #expect(missing.bodyText == "<Error/>")
  }

  @Test func aThrowingSinkAbortsTheTransfer() async throws {
    struct Full: Error {}
    final class FailingSink: HTTPResponseSink, @unchecked Sendable {
      func receive(_ chunk: UnsafeRawBufferPointer) throws { throw Full() }
    }
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200, headers: [], body: [1, 2, 3]) }
    defer { server.stop() }
    let error = await #expect(throws: HTTPError.self) {
      try await HTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL + "/"), sink: FailingSink())
    }
    #expect(error?.code == .bodySink)
  }
}
