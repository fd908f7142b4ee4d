import DRCore
import DRHTTP
import DRPostgres
import Foundation

/// How a step's health is checked, polled until it answers or the step's timeout passes.
enum HealthProbe {
  /// Polls `probe` every 200 ms until true or `timeout`; the last failure explains why.
  /// A probe whose process has exited says so (a detail starting "… exited"): no point
  /// waiting for the timeout then.
  static func wait(
    timeout: Double, _ what: String, _ probe: @Sendable () async -> (ok: Bool, detail: String)
  ) async throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    var last = "no answer yet"
    while ContinuousClock.now < deadline {
      try Task.checkCancellation()
      let (ok, detail) = await probe()
      if ok { return }
      last = detail
      if detail.contains(" exited") { break }
      try await Task.sleep(for: .milliseconds(200))
    }
    throw FailoverError(.step(what), "\(what) is not healthy after \(Int(timeout)) s: \(last)")
  }

  static func http(_ url: String, client: HTTPClient) async -> (ok: Bool, detail: String) {
    do {
      let response = try await client.send(HTTPRequest(method: "GET", url: url))
      return (response.status == 200, "HTTP \(response.status) \(response.bodyText.prefix(200))")
    } catch {
      return (false, "\(error)")
    }
  }

  static func postgres(_ url: String, password: String) async -> (ok: Bool, detail: String) {
    do {
      _ = try await PGConnection.connect(url + "?connect_timeout=2", password: password).query("SELECT 1")
      return (true, "")
    } catch {
      return (false, "\(error)")
    }
  }

  /// memcached's text protocol: `version` answers `VERSION x`.
  static func memcached(port: Int) async -> (ok: Bool, detail: String) {
    let answer = try? await TCPExchange.send("version\r\n", port: port)
    return (answer?.hasPrefix("VERSION") == true, answer ?? "no answer on 127.0.0.1:\(port)")
  }
}

/// One request and its first answer line over TCP on loopback (bounded by timeouts).
enum TCPExchange {
  static func send(_ text: String, port: Int) async throws -> String {
    try await runBlocking("dr-tcp") {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      guard fd >= 0 else { return "" }
      defer { close(fd) }
      var timeout = timeval(tv_sec: 2, tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      var address = LoopbackPort.loopback(port: port)
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard connected == 0 else { return "" }
      _ = text.withCString { write(fd, $0, strlen($0)) }
      var buffer = [UInt8](repeating: 0, count: 256)
      let count = read(fd, &buffer, buffer.count)
      return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }
  }
}
