import DRBackup
import DRCore
import DRHTTP
import DRPolicy
import DRPostgres
import DRS3
import DRStorage
import Foundation

/// `dr check`: is this policy usable right now? The database answers, a pg_dump that can
/// dump it is installed, and the storage endpoint answers.
public struct Preflight: Sendable {
  public let policy: Policy
  public let environment: [String: String]
  public let http: HTTPClient

  public init(policy: Policy, environment: [String: String], http: HTTPClient) {
    self.policy = policy
    self.environment = environment
    self.http = http
  }

  public func run() async -> PreflightReport {
    var report = PreflightReport(
      policy: policy.name, file: policy.file, checks: [.init("policy", .ok, "valid (\(policy.file))")])
    let server = await checkDatabase()
    report.checks.append(server.check)
    if server.major != nil, let databases = await checkDatabases() { report.checks.append(databases) }
    let dump = await checkPGDump(serverMajor: server.major)
    report.checks.append(dump.check)
    report.checks.append(checkCompression())
    report.checks.append(await checkVerifyPrograms(dumpMajor: dump.major))
    report.checks.append(await checkStorage())
    if let lock = await checkObjectLock() { report.checks.append(lock) }
    if let encryption = checkEncryption() { report.checks.append(encryption) }
    return report
  }

  /// With `retention.lock`, the bucket must have Object Lock enabled (only possible when
  /// it is created), or every upload would be refused.
  private func checkObjectLock() async -> PreflightReport.Check? {
    guard let lock = policy.retention?.lock else { return nil }
    do {
      let storage = try await StorageConnector(environment: environment, http: http, retry: Self.quickRetry)
        .connect(policy.storage)
      guard try await storage.client.objectLockEnabled(storage.bucket) else {
        return .init(
          "lock", .failed,
          "retention.lock is set but \(storage.bucket) has no Object Lock: it can only be enabled when a bucket is "
            + "created (dr s3 mb --object-lock s3://BUCKET), or remove retention.lock")
      }
      return .init("lock", .ok, "\(storage.bucket) has Object Lock; backups are kept \(lock.days) days (\(lock.mode))")
    } catch {
      return .init("lock", .failed, "cannot read the Object Lock configuration of the bucket: \(error)")
    }
  }

  private func checkDatabase() async -> (check: PreflightReport.Check, major: Int?) {
    let url = policy.database.url
    do {
      let connection = try await PGConnection.connect(url.connectionString.value)
      let version = try await connection.query("SHOW server_version")
      let shown = version.first?.first.flatMap { $0 } ?? "\(connection.serverVersionNumber)"
      let detail = "PostgreSQL \(shown) at \(url.hosts)/\(url.database ?? "")\(url.user.map { " as \($0)" } ?? "")"
      return (.init("database", .ok, detail), connection.serverMajorVersion)
    } catch {
      return (.init("database", .failed, "\(url): \(error)"), nil)
    }
  }

  /// With `database.databases`: the databases a backup would take, or those listed that the
  /// server lacks.
  private func checkDatabases() async -> PreflightReport.Check? {
    do {
      guard let names = try await BackupDatabases.resolve(policy) else { return nil }
      return .init("databases", .ok, "\(names.count): \(names.joined(separator: ", "))")
    } catch let error as PolicyError {
      return .init("databases", .failed, error.problem)
    } catch {
      return .init("databases", .failed, "\(error)")
    }
  }

  /// The pg_dump a backup would run, and its major (the dumps' major) when there is one.
  private func checkPGDump(serverMajor: Int?) async -> (check: PreflightReport.Check, major: Int?) {
    let locator = PGToolLocator(environment: environment)
    guard let serverMajor else {
      let found = await locator.candidates("pg_dump").map(\.description).joined(separator: ", ")
      return (.init("pg_dump", .skipped, "server version unknown; found: \(found.isEmpty ? "none" : found)"), nil)
    }
    do {
      let choice = try await locator.choose(
        "pg_dump", forMajor: serverMajor, siblings: policy.backup.globals ? ["pg_dumpall"] : [])
      return (.init("pg_dump", .ok, "\(choice)"), choice.tool.majorVersion)
    } catch {
      return (.init("pg_dump", .failed, "\(error)"), nil)
    }
  }

  /// A signed listing of the policy's prefix: the endpoint answers, the signature and the
  /// credentials are accepted, and the bucket exists and may be read.
  /// A preflight answers quickly: one retry, not a backup's patience (a dead endpoint
  /// took the Object Lock check two minutes of retries after the storage check failed).
  static let quickRetry = RetryPolicy(maxAttempts: 2, baseDelay: 0.2, maxDelay: 1, maxElapsed: 10)

  private func checkStorage() async -> PreflightReport.Check {
    do {
      let storage = try await StorageConnector(environment: environment, http: http, retry: Self.quickRetry)
        .connect(policy.storage)
      _ = try await storage.client.listObjects(bucket: storage.bucket, prefix: storage.prefix, maxKeys: 1)
      return .init(
        "storage", .ok,
        "\(storage.location) readable at \(storage.client.endpoint.baseURL) with credentials from "
          + storage.access.credentialsSource)
    } catch {
      return .init("storage", .failed, "\(error)")
    }
  }
}
