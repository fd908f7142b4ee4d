import DRCore
import Foundation

extension BackupFixture {
  /// The environment dr runs with: the password user's password, a short retry budget.
  public func environment(_ extra: [String: String] = [:]) throws -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["PGPASSWORD"] = try TestServices.userPassword()
    environment["DR_S3_RETRY_SECONDS"] = "3"
    for (name, value) in extra { environment[name] = value }
    return environment
  }

  /// dr's environment with the spare RGW user's keys alone (production's are taken out:
  /// the failover's storage must do with its own), plus `extra`.
  public static func spareKeysOnly(_ extra: [String: String?] = [:]) throws -> [String: String?] {
    var environment: [String: String?] = [
      "AWS_ACCESS_KEY_ID": nil, "AWS_SECRET_ACCESS_KEY": nil, "PGPASSWORD": try TestServices.userPassword(),
    ]
    for (name, value) in extra { environment[name] = value }
    return environment
  }

  public func run(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> DRBinary.Result {
    try await DRBinary.run(arguments + ["--policy", policyFile], environment: try environment(extra))
  }

  public func start(_ arguments: [String]) throws -> ChildProcess {
    try ChildProcess(DRBinary.path, arguments + ["--policy", policyFile], environment: try environment())
  }

  /// `dr backup --json`, which must succeed; the new backup's ID.
  public func backup(_ extra: [String: String] = [:]) async throws -> String {
    try Self.backupID(of: try await run(["backup", "--json"], extra))
  }

  /// The ID `dr backup --json` (or `dr restore --env --json`, `dr drill --json`) printed
  /// for a run that succeeded.
  public static func backupID(of result: DRBinary.Result) throws -> String {
    guard result.status == 0 else { throw TestSupportError("dr exited with \(result.status): \(result.combined)") }
    guard let id = try result.jsonObject()["id"] as? String else {
      throw TestSupportError("no backup ID in what dr printed: \(result.combined)")
    }
    return id
  }

  /// What `dr list --json` (or `--all`) shows; the listing must succeed.
  public func list(all: Bool = false) async throws -> [[String: Any]] {
    let listed = try await run(["list", "--json"] + (all ? ["--all"] : []))
    guard listed.status == 0 else { throw TestSupportError("dr list failed: \(listed.combined)") }
    return try listed.jsonArray()
  }

  /// The IDs `dr list --json` (or `--all`) shows, newest first.
  public func listedIDs(all: Bool = false) async throws -> [String] {
    try await list(all: all).compactMap { $0["id"] as? String }
  }
}
