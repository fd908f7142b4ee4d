import DRCore
import DRHTTP
import DRPolicy
import DRPostgres
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
    report.checks.append(await checkPGDump(serverMajor: server.major))
    report.checks.append(await checkStorage())
    return report
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

  private func checkPGDump(serverMajor: Int?) async -> PreflightReport.Check {
    let locator = PGToolLocator(environment: environment)
    guard let serverMajor else {
      let found = await locator.candidates("pg_dump").map(\.description).joined(separator: ", ")
      return .init("pg_dump", .skipped, "server version unknown; found: \(found.isEmpty ? "none" : found)")
    }
    do {
      let tool = try await locator.locate("pg_dump", forServerMajor: serverMajor)
      return .init("pg_dump", .ok, "\(tool.version) at \(tool.path) (server \(serverMajor))")
    } catch {
      return .init("pg_dump", .failed, "\(error)")
    }
  }

  private func checkStorage() async -> PreflightReport.Check {
    let endpoint = StorageEndpoint(storage: policy.storage, environment: environment)
    do {
      let response = try await http.send(HTTPRequest(method: "GET", url: endpoint.url))
      return .init(
        "storage", .ok, "\(endpoint.url) answers (HTTP \(response.status)); bucket \(policy.storage.location)")
    } catch {
      return .init("storage", .failed, "\(error)")
    }
  }
}

/// The endpoint a storage setting resolves to: the policy's, else AWS's regional one.
struct StorageEndpoint {
  let url: String

  init(storage: StorageSettings, environment: [String: String]) {
    if let endpoint = storage.endpoint {
      url = endpoint
    } else {
      let region = storage.region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
      url = "https://s3.\(region).amazonaws.com"
    }
  }
}
