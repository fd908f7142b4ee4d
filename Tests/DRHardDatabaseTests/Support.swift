import DRCore
import DRPostgres
import DRTestSupport
import Foundation

/// A new hard database for `body`, dropped afterwards whatever happens.
func withHardDatabase<T>(
  owner: String? = nil, _ body: (HardDatabase) async throws -> T
) async throws -> T {
  let hard = try await HardDatabase.create(name: uniqueDatabaseName(), owner: owner)
  do {
    let result = try await body(hard)
    try await hard.drop()
    return result
  } catch {
    try? await hard.drop()
    throw error
  }
}

/// Mixed case and a space: the name must be quoted everywhere, in URLs too.
func uniqueDatabaseName() -> String {
  "dr Hard \(UUID().uuidString.prefix(8).lowercased())"
}

/// Runs `sql` in `url`'s database.
func execute(_ url: String, _ sql: String) async throws {
  let connection = try await PGConnection.connect(url)
  _ = try await connection.query(sql)
}

/// Runs a PostgreSQL client program of the test services' installation; throws with its
/// standard error when it fails.
@discardableResult
func runTool(_ program: String, _ arguments: [String], environment: [String: String] = [:]) async throws
  -> ProcessRunner.Output
{
  let path = try TestServices.require("DR_TEST_PG_BINDIR") + "/" + program
  var merged = ProcessInfo.processInfo.environment
  merged.merge(environment) { _, new in new }
  let output = try await ProcessRunner.run(path, arguments, environment: merged)
  guard output.status == 0 else {
    throw HardDatabaseError("\(program) exited with \(output.status): \(output.standardError)")
  }
  return output
}
