import DRCore
import DRHTTP
import DRTestSupport
import Foundation
import Testing

/// TLS against `openssl s_server` on loopback with a self-signed certificate.
struct TLSTests {
  /// A self-signed certificate for 127.0.0.1 and an HTTPS server using it.
  final class TLSServer: @unchecked Sendable {
    let directory = TemporaryDirectory.unique("dr-tls")
    let port: Int
    private let process: ChildProcess

    init() async throws {
      let cert = "\(directory)/cert.pem"
      let key = "\(directory)/key.pem"
      let made = try await ProcessRunner.run(
        "/usr/bin/openssl",
        [
          "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
          "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
        ])
      #expect(made.status == 0, "\(made.standardError)")
      // Port 0: the kernel picks a free port and s_server prints it ("ACCEPT
      // 127.0.0.1:PORT") once it listens, so no port is guessed and nothing is probed.
      // Its output is a few lines, read byte by byte (a reader fills whole buffers).
      process = try ChildProcess(
        "/usr/bin/openssl",
        ["s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, "-www"], readSize: 1)
      let watchdog = Task { [process] in
        try await Task.sleep(for: .seconds(60))
        await process.terminate(grace: .seconds(1))
      }
      defer { watchdog.cancel() }
      port = try #require(await Self.acceptedPort(process), "s_server did not start: \(process.standardError)")
    }

    /// Reads s_server's output up to its "ACCEPT" line, then drains the rest.
    private static func acceptedPort(_ process: ChildProcess) async throws -> Int? {
      var text = ""
      while let bytes = try await process.output.next() {
        text += String(decoding: bytes, as: UTF8.self)
        if let match = text.firstMatch(of: /ACCEPT 127\.0\.0\.1:(\d+)\n/) {
          Task { while try await process.output.next() != nil {} }
          return Int(match.1)
        }
      }
      return nil
    }

    var certificate: String { "\(directory)/cert.pem" }
    var url: String { "https://127.0.0.1:\(port)/" }

    func stop() async {
      await process.terminate(grace: .seconds(2))
      try? FileManager.default.removeItem(atPath: directory)
    }
  }

  @Test func anUnknownCertificateIsRefusedByDefault() async throws {
    let server = try await TLSServer()
    let error = await #expect(throws: HTTPError.self) {
      try await HTTPClient().send(HTTPRequest(method: "GET", url: server.url))
    }
    await server.stop()
    #expect(error?.code == .tls)
  }

  @Test func aCABundleMakesAPrivateCertificateTrusted() async throws {
    let server = try await TLSServer()
    var configuration = HTTPClientConfiguration()
    configuration.caBundle = server.certificate
    var outcome = "no answer"
    do {
      let response = try await HTTPClient(configuration: configuration).send(
        HTTPRequest(method: "GET", url: server.url))
      outcome = "HTTP \(response.status)"
    } catch {
      outcome = "\(error)"
    }
    await server.stop()
    #expect(outcome == "HTTP 200")
  }
}
