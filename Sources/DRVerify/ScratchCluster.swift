import DRCore
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
      logger.debug("scratch cluster \(binaries.majorVersion) ready in \(directory)")
      return cluster
    } catch {
      await cluster.remove()
      throw error
    }
  }

  /// Stops the server (immediately: its data is thrown away) and deletes the directory.
  public func remove() async {
    if FileManager.default.fileExists(atPath: "\(directory)/data/postmaster.pid") {
      _ = try? await run(
        binaries.path("pg_ctl"), ["stop", "-D", "\(directory)/data", "-m", "immediate", "-w", "-t", "30"])
    }
    try? FileManager.default.removeItem(atPath: directory)
    if socketDirectory != directory { try? FileManager.default.removeItem(atPath: socketDirectory) }
  }

  private func initialize() async throws {
    let output = try await run(
      binaries.path("initdb"),
      ["-D", "\(directory)/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
    guard output.status == 0 else {
      throw VerifyError(.scratch, "initdb failed (exit \(output.status)): \(output.standardError)")
    }
  }

  private func launch() async throws {
    let settings = [
      "listen_addresses=''", "unix_socket_directories='\(socketDirectory)'", "port=\(port)", "fsync=off",
      "full_page_writes=off", "synchronous_commit=off", "wal_level=minimal", "max_wal_senders=0",
      "max_wal_size=4GB", "maintenance_work_mem=256MB", "autovacuum=off",
    ].map { "-c \($0)" }.joined(separator: " ")
    let output = try await run(
      binaries.path("pg_ctl"),
      ["start", "-D", "\(directory)/data", "-w", "-t", "60", "-l", "\(directory)/server.log", "-o", settings])
    guard output.status == 0 else {
      let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
      throw VerifyError(.scratch, "the scratch cluster did not start: \(output.standardError) \(log.suffix(500))")
    }
  }

  /// Runs a server program, as the unprivileged user when dr is root.
  func run(_ program: String, _ arguments: [String]) async throws -> ProcessRunner.Output {
    guard let runAs else { return try await ProcessRunner.run(program, arguments) }
    return try await ProcessRunner.run("/usr/sbin/runuser", ["-u", runAs, "--", program] + arguments)
  }

  public static func unprivilegedUser() throws -> String {
    for name in ["postgres", "nobody"] where getpwnam(name) != nil { return name }
    throw VerifyError(.scratch, "dr runs as root and there is no postgres or nobody user to run a scratch cluster")
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
