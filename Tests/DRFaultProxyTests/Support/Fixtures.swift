import DRTestSupport

/// Runs `body` with a fault proxy in HTTP mode in front of a fresh `TestHTTPServer`,
/// stopping both afterwards.
func withHTTPProxy(_ body: (FaultProxy, TestHTTPServer) throws -> Void) throws {
  let upstream = try TestHTTPServer()
  defer { upstream.stop() }
  let proxy = try FaultProxy(upstreamPort: upstream.port, mode: .http)
  defer { proxy.stop() }
  try body(proxy, upstream)
}

/// Runs `body` with a fault proxy in TCP mode in front of a fresh `TestTCPServer` that
/// sends `greeting` to every client.
func withTCPProxy(greeting: [UInt8] = [], _ body: (FaultProxy, TestTCPServer) throws -> Void) throws {
  let upstream = try TestTCPServer(greeting: greeting)
  defer { upstream.stop() }
  let proxy = try FaultProxy(upstreamPort: upstream.port, mode: .tcp)
  defer { proxy.stop() }
  try body(proxy, upstream)
}
