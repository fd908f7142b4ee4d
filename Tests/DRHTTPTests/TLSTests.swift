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
      port = Int.random(in: 20_000...60_000)
      process = try ChildProcess(
        "/usr/bin/openssl",
        ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www"])
      for _ in 0..<50 where !Self.listening(port) { try await Task.sleep(for: .milliseconds(100)) }
    }

    var certificate: String { "\(directory)/cert.pem" }
    var url: String { "https://127.0.0.1:\(port)/" }

    func stop() async {
      await process.terminate(grace: .seconds(2))
      try? FileManager.default.removeItem(atPath: directory)
    }

    static func listening(_ port: Int) -> Bool {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      defer { close(fd) }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
      }
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
