import DRCore
import Foundation

/// A certificate authority and a server certificate it signed, for 127.0.0.1 and localhost,
/// made with the `openssl` command for one test; and a second, unrelated authority (the
/// wrong CA).
public struct TestCertificates: Sendable {
  public let directory: String
  /// The CA that signed the server's certificate.
  public var authority: String { "\(directory)/ca.crt" }
  /// A CA that signed nothing here.
  public var otherAuthority: String { "\(directory)/other-ca.crt" }
  public var serverCertificate: String { "\(directory)/server.crt" }
  public var serverKey: String { "\(directory)/server.key" }

  public var serverTLS: LoopbackCluster.TLS { .init(certificate: serverCertificate, key: serverKey) }

  public static func make() async throws -> TestCertificates {
    let certificates = TestCertificates(directory: TemporaryDirectory.unique("dr-tls"))
    try await certificates.authority(named: "ca", subject: "/CN=dr test CA")
    try await certificates.authority(named: "other-ca", subject: "/CN=dr test other CA")
    try await certificates.serverCertificateSigned()
    return certificates
  }

  /// A self-signed CA certificate and its key.
  func authority(named name: String, subject: String) async throws {
    try await openssl([
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", subject, "-keyout",
      "\(directory)/\(name).key", "-out", "\(directory)/\(name).crt", "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ])
  }

  /// The server's key, a request, and the certificate the CA signs for it (its names in
  /// subjectAltName, as verify-full checks them).
  func serverCertificateSigned() async throws {
    let extensions = "\(directory)/server.ext"
    try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(
      toFile: extensions, atomically: true, encoding: .utf8)
    try await openssl([
      "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", serverKey, "-out",
      "\(directory)/server.csr",
    ])
    try await openssl([
      "x509", "-req", "-in", "\(directory)/server.csr", "-CA", authority, "-CAkey", "\(directory)/ca.key",
      "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", serverCertificate,
    ])
  }

  func openssl(_ arguments: [String]) async throws {
    let output = try await ProcessRunner.run(
      ProgramSearch.find("openssl", path: ProcessInfo.processInfo.environment["PATH"]) ?? "/usr/bin/openssl", arguments,
      environment: ProcessInfo.processInfo.environment)
    guard output.status == 0 else {
      throw TestSupportError("openssl \(arguments.prefix(2).joined(separator: " ")): \(output.standardError)")
    }
  }

  public func remove() {
    try? FileManager.default.removeItem(atPath: directory)
  }
}
