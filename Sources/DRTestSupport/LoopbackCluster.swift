import DRCore
import DRPostgres
import Foundation

/// A PostgreSQL cluster of a test's own that listens on 127.0.0.1 (a free port) and on a
/// socket in its directory, with trust authentication: a restore target whose every
/// database and role the test can list before and after (the suite's shared servers change
/// under parallel tests). With `tls`, it speaks TLS with that certificate and refuses TCP
/// connections without it (`hostnossl … reject`).
public struct LoopbackCluster: Sendable {
  public let binDirectory: String
  public let directory: String
  public let port: Int

  /// The server's certificate and key (PEM files), for `ssl = on`.
  public struct TLS: Sendable {
    public let certificate: String
    public let key: String

    public init(certificate: String, key: String) {
      self.certificate = certificate
      self.key = key
    }
  }

  var local: LocalCluster {
    LocalCluster(binDirectory: binDirectory, directory: directory, runAs: try? LocalCluster.serverUser())
  }

  /// Starts a new cluster; a failure removes what it made.
  public static func start(binDirectory: String, tls: TLS? = nil) async throws -> LoopbackCluster {
    let cluster = LoopbackCluster(
      binDirectory: binDirectory, directory: TemporaryDirectory.unique("dr-loopback-pg"), port: try LoopbackPort.free())
    do {
      let user = try LocalCluster.serverUser()
      try LocalCluster.handOver(cluster.directory, to: user)
      try await cluster.local.initialize(.init(authentication: .trust, noSync: true))
      var settings = [
        ("listen_addresses", "127.0.0.1"), ("unix_socket_directories", LocalCluster.directoryList([cluster.directory])),
        ("port", String(cluster.port)), ("fsync", "off"), ("full_page_writes", "off"),
      ]
      if let tls {
        let (certificate, key) = try cluster.install(tls, for: user)
        settings += [("ssl", "on"), ("ssl_cert_file", certificate), ("ssl_key_file", key)]
      }
      try cluster.local.writeHBA(Self.hba(tls: tls != nil))
      try await cluster.local.start(settings: settings, timeoutSeconds: 60)
    } catch {
      let log = (try? String(contentsOfFile: cluster.local.logFile, encoding: .utf8)) ?? ""
      await cluster.destroy()
      throw TestSupportError("loopback cluster: \(error)\(log.isEmpty ? "" : "\nserver log:\n\(log.suffix(2000))")")
    }
    return cluster
  }

  /// Trust on the socket and on 127.0.0.1; with TLS, TCP only over TLS.
  static func hba(tls: Bool) -> String {
    let host =
      tls
      ? "hostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n"
      : "host all all 127.0.0.1/32 trust\n"
    return "local all all trust\n" + host
  }

  /// Copies the certificate and key beside the data directory, owned by the server's user
  /// (PostgreSQL refuses a key that others may read).
  func install(_ tls: TLS, for user: String?) throws -> (certificate: String, key: String) {
    let certificate = "\(directory)/server.crt"
    let key = "\(directory)/server.key"
    try FileManager.default.copyItem(atPath: tls.certificate, toPath: certificate)
    try FileManager.default.copyItem(atPath: tls.key, toPath: key)
    guard chmod(key, 0o600) == 0, chmod(certificate, 0o644) == 0 else {
      throw TestSupportError("chmod of the server's key: \(String(cString: strerror(errno)))")
    }
    try LocalCluster.handOver(certificate, to: user)
    try LocalCluster.handOver(key, to: user)
    return (certificate, key)
  }

  /// `postgresql://USER@127.0.0.1:PORT/DATABASE`, with `parameters` (`sslmode=…`) when given.
  public func url(database: String, user: String = "postgres", parameters: String = "") -> String {
    "postgresql://\(user)@127.0.0.1:\(port)/\(database)" + (parameters.isEmpty ? "" : "?\(parameters)")
  }

  /// A superuser connection through the socket (no TLS needed).
  public func connect(database: String = "postgres") async throws -> PGConnection {
    try await PGConnection.connect("postgresql://postgres@/\(database)?host=\(directory)&port=\(port)")
  }

  /// Every database's name, sorted.
  public func databases() async throws -> [String] {
    try await connect().query("SELECT datname FROM pg_database ORDER BY 1").compactMap { $0.first ?? nil }
  }

  /// Every role's name, sorted.
  public func roles() async throws -> [String] {
    try await connect().query("SELECT rolname FROM pg_roles ORDER BY 1").compactMap { $0.first ?? nil }
  }

  /// Stops the server (immediate) and removes its directory. Never fails.
  public func destroy() async {
    await local.stop(mode: .immediate)
    try? FileManager.default.removeItem(atPath: directory)
  }
}
