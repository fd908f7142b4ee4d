import DRCore
import DRPostgres
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A throwaway PostgreSQL cluster for restores: `initdb` in a temporary directory, trust
/// authentication, a unix socket in that directory and no TCP (`listen_addresses=''`),
/// fsync off. As root, the server runs as the `postgres` system user (PostgreSQL refuses
/// root); client programs connect as the database superuser `postgres`.
///
///     try await TestCluster.with(binDirectory: bin) { cluster in
///       try await cluster.createDatabase("restored")
///       let out = try await cluster.client("pg_restore", ["-d", "restored", dumpPath])
///     }
public struct TestCluster: Sendable {
  /// Where initdb, pg_ctl, psql and pg_restore are.
  public let binDirectory: String
  /// Holds `data/`, the socket and `server.log`; removed by `destroy()`.
  public let directory: String
  public let port = 5432
  public static let superuser = "postgres"

  public var dataDirectory: String { directory + "/data" }
  public var logPath: String { directory + "/server.log" }

  /// A libpq connection string for `database`.
  public func connectionString(database: String) -> String {
    func quoted(_ value: String) -> String {
      "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
    return "host=\(quoted(directory)) port=\(port) user=\(Self.superuser) dbname=\(quoted(database))"
  }

  /// Runs `body` with a new running cluster, then stops and removes it whatever happens.
  public static func with<T>(
    binDirectory: String, locale: String = "C.UTF-8", _ body: (TestCluster) async throws -> T
  ) async throws -> T {
    let cluster = try await start(binDirectory: binDirectory, locale: locale)
    do {
      let result = try await body(cluster)
      await cluster.destroy()
      return result
    } catch {
      await cluster.destroy()
      throw error
    }
  }

  /// Makes and starts a cluster (UTF-8, `locale`); a failure removes what it made.
  public static func start(binDirectory: String, locale: String = "C.UTF-8") async throws -> TestCluster {
    let cluster = TestCluster(binDirectory: binDirectory, directory: TemporaryDirectory.unique("dr-scratch-pg"))
    do {
      try LocalCluster.handOver(cluster.directory, to: try LocalCluster.serverUser())
      try await cluster.local.initialize(.init(authentication: .trust, locale: locale, noSync: true))
      try await cluster.local.start(
        settings: [
          ("listen_addresses", ""), ("unix_socket_directories", LocalCluster.directoryList([cluster.directory])),
          ("port", String(cluster.port)), ("fsync", "off"), ("full_page_writes", "off"),
        ], timeoutSeconds: 60)
    } catch {
      let log = (try? String(contentsOfFile: cluster.logPath, encoding: .utf8)) ?? ""
      await cluster.destroy()
      throw HardDatabaseError("scratch cluster: \(error)\(log.isEmpty ? "" : "\nserver log:\n\(log.suffix(2000))")")
    }
    return cluster
  }

  /// initdb and pg_ctl for this cluster (as the server's OS user when this process is root).
  var local: LocalCluster {
    LocalCluster(binDirectory: binDirectory, directory: directory, runAs: try? LocalCluster.serverUser())
  }

  /// Stops the server (immediate shutdown) and removes the directory. Never fails.
  public func destroy() async {
    await local.stop(mode: .immediate)
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// Stops the server (fast shutdown: sessions are ended, as when an operator restarts it)
  /// and starts it again with the same settings, for tests of a restart mid-work.
  public func restart() async throws {
    try await local.restart(mode: .fast)
  }

  /// Runs a client program of `binDirectory` (psql, pg_restore, …) as this process's user,
  /// with PGHOST, PGPORT, PGUSER and PGDATABASE (`postgres`) pointing at the cluster.
  public func client(_ program: String, _ arguments: [String]) async throws -> ProcessRunner.Output {
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
    environment["PGHOST"] = directory
    environment["PGPORT"] = String(port)
    environment["PGUSER"] = Self.superuser
    environment["PGDATABASE"] = "postgres"
    return try await ProcessRunner.run("\(binDirectory)/\(program)", arguments, environment: environment)
  }

  /// `CREATE DATABASE name TEMPLATE template0` (the cluster's encoding and locale).
  public func createDatabase(_ name: String) async throws {
    let output = try await client(
      "psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(SQL.identifier(name)) TEMPLATE template0"])
    guard output.status == 0 else { throw HardDatabaseError("CREATE DATABASE \(name): \(output.standardError)") }
  }
}
