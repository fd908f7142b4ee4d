import DRBackup
import DRCore
import DRFailover
import DRPolicy
import DRTestSupport
import Foundation
import Testing

/// `LocalDriver` below the binary, against the real PostgreSQL and RGW: the plan's
/// postgresql and restore steps for a backup of the fixture (made by `BackupRunner`), in a
/// state directory of the test's own, then `down(purge:)`.
struct LocalDriverTests {
  /// Asserted: the cluster runs on the stack's port; the restore reports the backup and the
  /// database, which holds every table's rows as the manifest counted them (read with the
  /// generated superuser password); running the step again finds it done; `down(purge:
  /// true)` stops the cluster (the port is free again) and removes the directory.
  @Test func postgresqlAndRestoreStepsThenDownPurgeLeavesNothing() async throws {
    let fixture = try await BackupFixture.make("libdriver")
    let port = try LoopbackPort.free()
    try fixture.writeLibraryPolicy(extra: "stack:\n  postgresql: {port: \(port)}\nenvironments:\n  failover: {}\n")
    let policy = try fixture.policy()
    let id = try await fixture.backUp(policy).id
    let variables = try fixture.environment()
    let context = try await FailoverContext.connect(policy: policy, environment: "failover", variables: variables)
    let (plan, manifest) = try await context.plan()
    #expect(plan.backup?.id == id.rawValue)
    let manifestOfTheBackup = try #require(manifest)
    let postgresql = try #require(plan.step("postgresql"), "\(plan.steps.map(\.name))")
    let restore = try #require(plan.step("restore"), "\(plan.steps.map(\.name))")

    let state = TemporaryDirectory.unique("dr-localdriver")
    defer { try? FileManager.default.removeItem(atPath: state) }
    let directory = StateDirectory.forEnvironment(
      policy: policy.name, environment: "failover", variables: ["DR_STATE_DIR": state])
    let driver = try LocalDriver(
      directory: directory, environmentName: "failover", stack: context.stack, manifest: manifestOfTheBackup,
      storage: context.storage, keys: context.keys, environment: variables)
    // A step that throws still leaves nothing running behind the test.
    do {
      let started = try await driver.execute(postgresql)
      #expect(started.contains("on 127.0.0.1:\(port)"), "\(started)")
      #expect(LoopbackPort.isTaken(port))
      let restored = try await driver.execute(restore)
      #expect(restored.contains("\(id) restored into \(fixture.database)"), "\(restored)")
      let password = try StackPasswordFiles.read(StackPasswordFiles.superuser, in: directory)
      let url = "postgresql://postgres@127.0.0.1:\(port)/\(fixture.database)"
      let differences = try await TestDatabases.rowCountDifferences(manifestOfTheBackup, in: url, password: password)
      #expect(differences.isEmpty, "\(differences)")
      #expect(manifestOfTheBackup.rowCounts.tables.count == 6)
      let again = try await driver.execute(restore)
      #expect(again.contains("\(id) already restored"), "\(again)")
    } catch {
      await driver.down(purge: true)
      throw error
    }

    await driver.down(purge: true)
    #expect(!FileManager.default.fileExists(atPath: directory), "the state directory is left")
    #expect(!LoopbackPort.isTaken(port), "the cluster still listens on \(port)")
    await fixture.remove()
  }
}
