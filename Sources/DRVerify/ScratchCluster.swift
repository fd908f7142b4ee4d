import DRCore
import DRPostgres
import DRRestore
import Foundation
import Logging

/// A throwaway PostgreSQL cluster for one verification: initdb of the dump's major version
/// (or the closest newer) in a temporary directory, reachable only through a Unix socket in
/// that directory (no TCP), trust authentication, tuned for a fast restore (no fsync, minimal
/// WAL). Removed with `remove()`, which every exit path of a verification calls.
///
/// PostgreSQL refuses to run as root: when dr is root, the cluster runs as the `postgres`
/// system user (or `nobody`), owning the directory.
public final class ScratchCluster: Sendable {
  public let binaries: ServerBinaries
  public let directory: String
  /// Where the server's socket is: `directory`, unless the socket's path would be longer
  /// than a Unix socket's 107 bytes (a long TMPDIR); then a private directory under /tmp.
  public let socketDirectory: String
  public let port: Int
  let runAs: String?
  /// initdb and pg_ctl, in `directory` (data in `data/`, the log in `server.log`).
  var cluster: LocalCluster { LocalCluster(binDirectory: binaries.directory, directory: directory, runAs: runAs) }

  /// A libpq URL of `database` in this cluster, as its superuser `postgres`.
  public func url(database: String = "postgres") -> String {
    "postgresql://postgres@/\(database)?host=\(socketDirectory)&port=\(port)"
  }

  private init(binaries: ServerBinaries, directory: String, socketDirectory: String, port: Int, runAs: String?) {
    self.binaries = binaries
    self.directory = directory
    self.socketDirectory = socketDirectory
    self.port = port
    self.runAs = runAs
  }

  /// Creates and starts a cluster.
  public static func start(binaries: ServerBinaries, logger: Logger) async throws -> ScratchCluster {
    let runAs = geteuid() == 0 ? try unprivilegedUser() : nil
    let directory = try makeDirectory(owner: runAs)
    let port = Int.random(in: 40_000...60_000)
    let socketDirectory: String
    do {
      socketDirectory =
        "\(directory)/.s.PGSQL.\(port)".utf8.count <= 107
        ? directory
        : try makeDirectory(owner: runAs, in: ScratchReaper.socketParent, prefix: ScratchReaper.socketPrefix)
    } catch {
      try? FileManager.default.removeItem(atPath: directory)
      throw error
    }
    let cluster = ScratchCluster(
      binaries: binaries, directory: directory, socketDirectory: socketDirectory, port: port, runAs: runAs)
    do {
      try await cluster.initialize()
      try await cluster.launch()
      logger.debug(
        "scratch cluster of PostgreSQL \(binaries.version) (programs in \(binaries.directory)) ready in \(directory)")
      return cluster
    } catch {
      await cluster.remove()
      throw error
    }
  }

  /// Stops the server (immediately: its data is thrown away) and deletes the directory.
  public func remove() async {
    await cluster.stop(mode: .immediate, timeoutSeconds: 30)
    try? FileManager.default.removeItem(atPath: directory)
    if socketDirectory != directory { try? FileManager.default.removeItem(atPath: socketDirectory) }
  }

  private func initialize() async throws {
    do {
      try await cluster.initialize(.init(authentication: .trust, noSync: true))
    } catch let error as PostgresError {
      throw VerifyError(.scratch, error.message)
    }
  }

  /// No TCP, the socket alone; tuned for a restore whose data is thrown away.
  var settings: [(String, String)] {
    [
      ("listen_addresses", ""), ("unix_socket_directories", LocalCluster.directoryList([socketDirectory])),
      ("port", "\(port)"), ("fsync", "off"), ("full_page_writes", "off"), ("synchronous_commit", "off"),
      ("wal_level", "minimal"), ("max_wal_senders", "0"), ("max_wal_size", "4GB"), ("maintenance_work_mem", "256MB"),
      ("autovacuum", "off"),
    ]
  }

  private func launch() async throws {
    do {
      try await cluster.start(settings: settings, timeoutSeconds: 60)
    } catch let error as PostgresError {
      throw VerifyError(.scratch, "the scratch cluster did not start: \(error.message)")
    }
  }

  public static func unprivilegedUser() throws -> String {
    do {
      return try LocalCluster.unprivilegedUser()
    } catch let error as PostgresError {
      throw VerifyError(.scratch, error.message)
    }
  }

  /// A new private directory for the cluster, owned by the user it runs as. Its name holds
  /// this process's identity, so that a later dr can remove it if this one is killed.
  public static func makeDirectory(
    owner: String?, in parent: String = NSTemporaryDirectory(), prefix: String = ScratchReaper.clusterPrefix
  ) throws -> String {
    let name = "\(prefix)\(ProcessIdentity.current)-XXXXXX"
    var template = Array((parent as NSString).appendingPathComponent(name).utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw VerifyError(.scratch, "cannot create a temporary directory: \(String(cString: strerror(errno)))")
    }
    let path = String(cString: made)
    if let owner, let user = getpwnam(owner) {
      guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
        throw VerifyError(.scratch, "cannot give \(path) to \(owner): \(String(cString: strerror(errno)))")
      }
    }
    chmod(path, 0o700)
    return path
  }
}
