import DRCore
import Foundation

/// Running the server's programs: as `runAs` through runuser when dr is root, in the
/// cluster's directory, with an environment that carries nothing of dr's credentials (the
/// server and whatever it runs, `COPY … TO PROGRAM` included, inherit it).
extension LocalCluster {
  /// The OS user a cluster runs as when dr is root: `postgres`, else `nobody`.
  public static func unprivilegedUser() throws -> String {
    for name in ["postgres", "nobody"] where getpwnam(name) != nil { return name }
    throw PostgresError(
      .toolMissing, "dr runs as root and there is no postgres or nobody user to run a PostgreSQL cluster as")
  }

  /// Who runs a cluster started by this process: nil when not root (this process's user).
  public static func serverUser() throws -> String? {
    geteuid() == 0 ? try unprivilegedUser() : nil
  }

  /// Gives `path` to `user` (when given): the server's OS user must own its directory.
  public static func handOver(_ path: String, to user: String?) throws {
    guard let user else { return }
    let owner = try account(user)
    guard chown(path, owner.uid, owner.gid) == 0 else {
      throw PostgresError(.toolFailed, "cannot give \(path) to \(user): \(String(cString: strerror(errno)))")
    }
  }

  static func account(_ name: String) throws -> (uid: uid_t, gid: gid_t) {
    guard let entry = getpwnam(name) else { throw PostgresError(.toolMissing, "there is no OS user \(name)") }
    return (entry.pointee.pw_uid, entry.pointee.pw_gid)
  }

  /// The variables the server's programs get: where programs are, the time zone and locale
  /// (initdb reads them), the temporary directory. No PG* (PGPASSWORD…), no AWS_*.
  static func serverEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    -> [String: String]
  {
    var result = environment.filter { name, _ in
      ["PATH", "TZ", "LANG", "LANGUAGE", "TMPDIR", "HOME"].contains(name) || name.hasPrefix("LC_")
    }
    if result["PATH"] == nil { result["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" }
    return result
  }

  /// Runs initdb or pg_ctl of `binDirectory` in `directory`, as `runAs` when set.
  func serverProgram(_ name: String, _ arguments: [String]) async throws -> ProcessRunner.Output {
    let program = "\(binDirectory)/\(name)"
    let environment = Self.serverEnvironment()
    guard let runAs else {
      return try await ProcessRunner.run(program, arguments, environment: environment, directory: directory)
    }
    return try await ProcessRunner.run(
      Self.runuser, ["-u", runAs, "--", program] + arguments, environment: environment, directory: directory)
  }

  static var runuser: String {
    ["/usr/sbin/runuser", "/sbin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
      ?? "/usr/sbin/runuser"
  }
}
