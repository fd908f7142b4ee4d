import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

struct PGToolLocatorTests {
  /// A directory with a fake `pg_dump` that reports `version`.
  func fakeTool(version: String) throws -> String {
    let directory = TemporaryDirectory.unique("dr-fake-pg")
    let script = "#!/bin/sh\necho 'pg_dump (PostgreSQL) \(version) (fake)'\n"
    let path = "\(directory)/pg_dump"
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return directory
  }

  @Test func findsTheInstalledPgDumpForTheTestServer() async throws {
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    let tool = try await PGToolLocator(environment: ProcessInfo.processInfo.environment).locate(
      "pg_dump", forServerMajor: 15)
    #expect(tool.majorVersion >= 15)
    #expect(FileManager.default.isExecutableFile(atPath: tool.path))
    #expect(tool.path.hasPrefix(bindir) || tool.majorVersion > 15)
  }

  @Test func refusesAPgDumpOlderThanTheServer() async throws {
    let old = try fakeTool(version: "13.2")
    defer { try? FileManager.default.removeItem(atPath: old) }
    let error = await #expect(throws: PostgresError.self) {
      try await PGToolLocator(searchDirectories: [old]).locate("pg_dump", forServerMajor: 15)
    }
    #expect(error?.code == .toolTooOld)
    #expect(error?.description.contains("13.2") == true)
    #expect(error?.description.contains("apt-get install postgresql-client-15") == true)
  }

  @Test func picksTheClosestFittingVersion() async throws {
    let v14 = try fakeTool(version: "14.9")
    let v16 = try fakeTool(version: "16.4")
    let v17 = try fakeTool(version: "17.1")
    defer { for dir in [v14, v16, v17] { try? FileManager.default.removeItem(atPath: dir) } }
    let tool = try await PGToolLocator(searchDirectories: [v17, v14, v16]).locate("pg_dump", forServerMajor: 15)
    #expect(tool.version == "16.4")
    #expect(tool.path == "\(v16)/pg_dump")
  }

  @Test func saysWhereItLookedWhenNothingIsFound() async throws {
    let error = await #expect(throws: PostgresError.self) {
      try await PGToolLocator(searchDirectories: ["/nonexistent"]).locate("pg_dump", forServerMajor: 15)
    }
    #expect(error?.code == .toolMissing)
    #expect(error?.description.contains("/nonexistent") == true)
  }
}
