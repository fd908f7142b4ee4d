import DRCore
import Foundation

/// A PostgreSQL cluster of dr's own on this host: the verification's scratch clusters, the
/// failover's restored cluster and the tests' throwaway clusters. The one place that runs
/// initdb and pg_ctl.
///
/// The server's settings never go through a shell: `start` writes them to `dr.conf` in the
/// data directory (included by postgresql.conf), quoted as postgresql.conf wants, so a path
/// holding a quote or a space is just a value. PostgreSQL refuses to run as root: when dr is
/// root, initdb and pg_ctl run as an unprivileged OS user (`runAs`) through runuser, with
/// an environment of their own (no credentials of dr's).
public struct LocalCluster: Sendable {
  /// Where initdb, pg_ctl and postgres are.
  public let binDirectory: String
  /// Holds the data directory and the server's log; pg_ctl runs in it.
  public let directory: String
  /// The data directory's name in `directory`.
  public let dataName: String
  /// The server log's name in `directory`.
  public let logName: String
  /// The OS user the server runs as, when dr is root; nil: dr's own user.
  public let runAs: String?

  public init(
    binDirectory: String, directory: String, dataName: String = "data", logName: String = "server.log",
    runAs: String?
  ) {
    self.binDirectory = binDirectory
    self.directory = directory
    self.dataName = dataName
    self.logName = logName
    self.runAs = runAs
  }

  public var dataDirectory: String { "\(directory)/\(dataName)" }
  public var logFile: String { "\(directory)/\(logName)" }
  /// Whether initdb finished here.
  public var isInitialised: Bool { FileManager.default.fileExists(atPath: "\(dataDirectory)/PG_VERSION") }
  /// Whether a server was started here and has not removed its pid file (it may have died).
  public var hasPidFile: Bool { FileManager.default.fileExists(atPath: "\(dataDirectory)/postmaster.pid") }

  /// How clients authenticate, as initdb writes pg_hba.conf.
  public enum Authentication: Sendable, Equatable {
    /// Anyone who reaches the server (for clusters reachable only through a private socket).
    case trust
    /// scram-sha-256 for local and host connections; the superuser's password is read
    /// from `passwordFile` (which the server's OS user must be able to read).
    case scram(passwordFile: String)
  }

  public struct InitOptions: Sendable {
    public var superuser: String
    public var authentication: Authentication
    public var locale: String
    /// `--no-sync`: for data thrown away afterwards.
    public var noSync: Bool

    public init(
      superuser: String = "postgres", authentication: Authentication, locale: String = "C.UTF-8", noSync: Bool = false
    ) {
      self.superuser = superuser
      self.authentication = authentication
      self.locale = locale
      self.noSync = noSync
    }
  }

  /// initdb (UTF-8). Throws with initdb's own words when it fails.
  public func initialize(_ options: InitOptions) async throws {
    var arguments = ["-D", dataDirectory, "-U", options.superuser, "-E", "UTF8", "--locale=\(options.locale)"]
    switch options.authentication {
    case .trust: arguments.append("--auth=trust")
    case .scram(let file):
      arguments += ["--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--pwfile=\(file)"]
    }
    if options.noSync { arguments.append("--no-sync") }
    let output = try await serverProgram("initdb", arguments)
    guard output.status == 0 else {
      throw PostgresError(.toolFailed, "initdb failed (exit \(output.status)): \(output.standardError)")
    }
  }

  /// Writes `settings` to `dr.conf` (included by postgresql.conf) and starts the server,
  /// waiting up to `timeoutSeconds` for it to accept connections.
  public func start(settings: [(String, String)], timeoutSeconds: Int) async throws {
    try writeSettings(settings)
    let output = try await serverProgram(
      "pg_ctl", ["start", "-D", dataArgument, "-w", "-t", "\(timeoutSeconds)", "-l", logName])
    guard output.status == 0 else {
      let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
      throw PostgresError(.toolFailed, "PostgreSQL did not start: \(output.standardError) \(log.suffix(500))")
    }
  }

  /// Whether the server runs (`pg_ctl status`).
  public func isRunning() async -> Bool {
    guard isInitialised else { return false }
    return (try? await serverProgram("pg_ctl", ["status", "-D", dataDirectory]))?.status == 0
  }

  public enum StopMode: String, Sendable {
    /// Sessions are ended, then a checkpoint: the data is kept.
    case fast
    /// No checkpoint (recovery on the next start): for data thrown away.
    case immediate
  }

  /// Stops the server if one was started here; never throws. Returns whether pg_ctl said
  /// it stopped (false too when nothing ran).
  @discardableResult
  public func stop(mode: StopMode, timeoutSeconds: Int = 60) async -> Bool {
    guard hasPidFile else { return false }
    let output = try? await serverProgram(
      "pg_ctl", ["stop", "-D", dataDirectory, "-m", mode.rawValue, "-w", "-t", "\(timeoutSeconds)"])
    return output?.status == 0
  }

  /// Stops and starts the server again with the same settings.
  public func restart(mode: StopMode = .fast, timeoutSeconds: Int = 60) async throws {
    let output = try await serverProgram(
      "pg_ctl", ["restart", "-D", dataArgument, "-l", logName, "-m", mode.rawValue, "-w", "-t", "\(timeoutSeconds)"])
    guard output.status == 0 else {
      throw PostgresError(.toolFailed, "pg_ctl restart exited with \(output.status): \(output.standardError)")
    }
  }

  /// Makes the server read its configuration files (pg_hba.conf among them) again.
  public func reload() async throws {
    let output = try await serverProgram("pg_ctl", ["reload", "-D", dataDirectory])
    guard output.status == 0 else {
      throw PostgresError(.toolFailed, "pg_ctl reload exited with \(output.status): \(output.standardError)")
    }
  }

  /// The data directory as pg_ctl's start hands it to postgres: inside double quotes in a
  /// `/bin/sh -c` line of pg_ctl's own. Absolute (as `ps` shows it) when nothing in it is
  /// special there; otherwise relative to `directory`, where pg_ctl runs.
  var dataArgument: String {
    let special: Set<Character> = ["\"", "\\", "$", "`", "\n", "\r"]
    return dataDirectory.contains(where: special.contains) ? dataName : dataDirectory
  }

  // Running the server's programs: as `runAs` through runuser when dr is root, in the
  // cluster's directory, with an environment that carries nothing of dr's credentials (the
  // server and whatever it runs, `COPY … TO PROGRAM` included, inherit it).

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
