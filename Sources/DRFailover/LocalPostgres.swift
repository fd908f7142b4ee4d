import DRCore
import DRVerify
import Foundation

/// The failover's PostgreSQL: a cluster in the environment's state directory, listening on
/// 127.0.0.1 at the stack's port (trust for loopback: the stack's app connects as the
/// backup's roles, whose passwords are not in a backup made without superuser rights).
/// Idempotent: `ensureRunning` initialises only a missing cluster and starts only a
/// stopped one, so a failover that stopped midway can run again.
struct LocalPostgres: Sendable {
  let binaries: ServerBinaries
  let directory: String
  let port: Int
  let runAs: String?

  var dataDirectory: String { "\(directory)/pgdata" }

  func url(database: String, user: String = "postgres") -> String {
    "postgresql://\(user)@127.0.0.1:\(port)/\(database)"
  }

  /// The state directory for the Unix socket when its path fits a socket address (107
  /// bytes); none otherwise (everything here connects over TCP; the socket is for people).
  var socketDirectory: String {
    "\(directory)/.s.PGSQL.\(port)".utf8.count <= 107 ? directory : ""
  }

  var isInitialised: Bool { FileManager.default.fileExists(atPath: "\(dataDirectory)/PG_VERSION") }

  func ensureRunning() async throws {
    if !isInitialised {
      try? FileManager.default.removeItem(atPath: dataDirectory)
      let output = try await run(
        binaries.path("initdb"),
        [
          "-D", dataDirectory, "-U", "postgres", "--auth-local=trust", "--auth-host=trust", "-E", "UTF8",
          "--locale=C.UTF-8",
        ])
      guard output.status == 0 else {
        throw FailoverError(.step("postgresql"), "initdb failed: \(output.standardError)")
      }
    }
    if try await isUp() { return }
    let settings = [
      "listen_addresses='127.0.0.1'", "port=\(port)", "unix_socket_directories='\(socketDirectory)'",
      "max_wal_size=4GB", "maintenance_work_mem=256MB",
    ].map { "-c \($0)" }.joined(separator: " ")
    let output = try await run(
      binaries.path("pg_ctl"),
      ["start", "-D", dataDirectory, "-w", "-t", "120", "-l", "\(directory)/postgresql.log", "-o", settings])
    guard output.status == 0 else {
      let log = (try? String(contentsOfFile: "\(directory)/postgresql.log", encoding: .utf8)) ?? ""
      throw FailoverError(.step("postgresql"), "PostgreSQL did not start: \(output.standardError) \(log.suffix(400))")
    }
  }

  func isUp() async throws -> Bool {
    guard isInitialised else { return false }
    let output = try await run(binaries.path("pg_ctl"), ["status", "-D", dataDirectory])
    return output.status == 0
  }

  func stop() async {
    guard isInitialised else { return }
    _ = try? await run(binaries.path("pg_ctl"), ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60"])
  }

  func run(_ program: String, _ arguments: [String]) async throws -> ProcessRunner.Output {
    guard let runAs else { return try await ProcessRunner.run(program, arguments) }
    return try await ProcessRunner.run("/usr/sbin/runuser", ["-u", runAs, "--", program] + arguments)
  }
}
