import DRCore
import DRFailover
import DRTestSupport
import Foundation
import Testing

/// The restore step: the dump downloaded to a local file, copied to the unit, restored,
/// counted; the local file removed on every path.
struct JujuRestoreTests {
  struct FetchFailed: Error {}

  static func restoreStep() throws -> PlanStep {
    try #require(try JujuDriverTests.plan().step("restore"))
  }

  /// The probe (a read) runs before the download; nothing after it does.
  @Test func aFailedDownloadRunsNothingButTheProbeAndLeavesNoFile() async throws {
    let standIn = try JujuStandIn()
    defer { standIn.remove() }
    let driver = try JujuDriverTests.driver(standIn) { path in
      try Data("partial".utf8).write(to: URL(fileURLWithPath: path))
      throw FetchFailed()
    }
    await #expect(throws: FetchFailed.self) { try await driver.execute(try Self.restoreStep()) }
    let calls = try standIn.calls()
    #expect(calls.count == 1 && calls.first?.contains("psql") == true, "\(calls)")
    #expect(!FileManager.default.fileExists(atPath: driver.commands.dumpFile))
  }

  @Test func aFailedRestoreStopsBeforeTheCountsAndLeavesNoFile() async throws {
    let standIn = try JujuStandIn(failing: [
      (
        prefix: "ssh -m dr-summit-failover postgresql/leader -- sudo -u postgres pg_restore",
        message: "pg_restore: error: could not read input file"
      )
    ])
    defer { standIn.remove() }
    let driver = try JujuDriverTests.driver(standIn)
    let error = await #expect(throws: FailoverError.self) { try await driver.execute(try Self.restoreStep()) }
    #expect(error?.code == .step("restore"))
    #expect(error?.message.contains("sudo -u postgres pg_restore --no-owner") == true)
    #expect(error?.message.hasSuffix("failed (exit status 1): pg_restore: error: could not read input file") == true)
    #expect(try standIn.calls().count == 6)
    #expect(!FileManager.default.fileExists(atPath: driver.commands.dumpFile))
  }

  @Test func rowCountsThatDifferFromTheManifestFailTheStep() async throws {
    let standIn = try JujuStandIn(counts: "public|orders|4\npublic|extra|1")
    defer { standIn.remove() }
    let driver = try JujuDriverTests.driver(standIn)
    let error = await #expect(throws: FailoverError.self) { try await driver.execute(try Self.restoreStep()) }
    #expect(
      error?.message.hasPrefix(
        "the restored database does not match the manifest: public.accounts is missing; "
          + "public.orders has 4 rows, the manifest says 5. Database summit is left as it is, without dr's marker")
        == true, "\(String(describing: error))")
    #expect(!FileManager.default.fileExists(atPath: driver.commands.dumpFile))
  }

  @Test func aDumpLeftByACrashedRunIsReplaced() async throws {
    let standIn = try JujuStandIn()
    defer { standIn.remove() }
    let stale = "\(standIn.directory)/dr-restore-20261124T221900Z-7f3a.pgc"
    try Data("stale".utf8).write(to: URL(fileURLWithPath: stale))
    let driver = try JujuDriverTests.driver(standIn) { path in
      #expect(!FileManager.default.fileExists(atPath: path))
      try Data("fresh".utf8).write(to: URL(fileURLWithPath: path))
    }
    #expect(try await driver.execute(try Self.restoreStep()).hasSuffix("row counts match the manifest"))
    #expect(FileManager.default.contents(atPath: standIn.uploaded) == Data("fresh".utf8))
  }

  @Test func withoutABackupThereIsNothingToRestore() async throws {
    let standIn = try JujuStandIn()
    defer { standIn.remove() }
    var commands = try JujuDriverTests.driver(standIn).commands
    commands.database = nil
    let driver = JujuDriver(commands: commands, environment: standIn.environment) { _ in }
    let error = await #expect(throws: FailoverError.self) { try await driver.execute(try Self.restoreStep()) }
    #expect(error?.code == .noBackup)
    #expect(try standIn.calls().isEmpty)
  }
}
