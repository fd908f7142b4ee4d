import DRCore
import DRWorker
import Testing

/// `--listen ADDR:PORT` as the worker's command line passes it.
struct WorkerHTTPListenTests {
  @Test(arguments: [
    ("127.0.0.1:17187", "127.0.0.1", 17187),
    ("0.0.0.0:80", "0.0.0.0", 80),
    (":9100", "127.0.0.1", 9100),
    ("[::1]:17187", "::1", 17187),
    ("metrics.internal:0", "metrics.internal", 0),
  ])
  func reads(_ text: String, _ host: String, _ port: Int) throws {
    let address = try WorkerHTTPServer.listenAddress(text)
    #expect(address.host == host)
    #expect(address.port == port)
  }

  @Test(arguments: ["", "17187", "127.0.0.1", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000", "::1:17187"])
  func refuses(_ text: String) {
    let error = #expect(throws: WorkerHTTPServerError.self) { try WorkerHTTPServer.listenAddress(text) }
    #expect(error?.description == "--listen \(text): expected ADDR:PORT, such as 127.0.0.1:17187")
    #expect(error?.exitStatus == .usage)
  }

  @Test func theDefaultIsLoopbackOnly() {
    #expect(WorkerHTTPServer.defaultHost == "127.0.0.1")
    #expect(WorkerHTTPServer.defaultPort == 17187)
  }
}
