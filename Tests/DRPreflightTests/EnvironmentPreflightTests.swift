import DRBackup
import DRCore
import DRFailover
import DRPreflight
import DRRestore
import DRTestSupport
import DRVerify
import Foundation
import Testing

/// `EnvironmentPreflight` (`dr check --env`) below the binary: a failover environment that
/// reads the production bucket with the spare user's keys, whose latest backup `Verifier`
/// passed, passes and records that it did;
/// one whose storage is a bucket that does not exist stops at the storage check.
struct EnvironmentPreflightTests {
  /// The fixture's policy with a PostgreSQL-only stack on a free port and a failover
  /// environment with the spare keys; `storage` adds the environment's own storage.
  func write(_ fixture: BackupFixture, storage: String = "", driver: String = "local") throws {
    let keys =
      "{access_key_id: \"${DR_TEST_SPARE_ACCESS_KEY_ID}\", secret_access_key: \"${DR_TEST_SPARE_SECRET_ACCESS_KEY}\"}"
    try fixture.writeLibraryPolicy(
      extra: """
        stack:
          postgresql: {port: \(try LoopbackPort.free())}
        environments:
          failover:
            credentials: \(keys)
            driver: \(driver)
        \(storage)

        """)
  }

  func check(_ fixture: BackupFixture) async throws -> PreflightReport {
    let state = TemporaryDirectory.unique("dr-libcheck-env")
    defer { try? FileManager.default.removeItem(atPath: state) }
    return await EnvironmentPreflight(
      policy: try fixture.policy(), environmentName: "failover", variables: try fixture.environment(), stateRoot: state
    ).run()
  }

  /// Asserted: every check passes (storage with the policy's keys, the backup, the server
  /// programs, the port; the disk as the target's free space), the backup line names the backup, and the passed check
  /// is recorded in the bucket where `dr plan` reads it.
  @Test func aFailoverEnvironmentWithTheSpareKeysPassesAndIsRecorded() async throws {
    let fixture = try await BackupFixture.make("libcheckenv")
    try write(fixture)
    let policy = try fixture.policy()
    let id = try await fixture.backUp(policy).id
    // The latest good backup is a verified one (an unverified one makes the backup line fail).
    let verifier = Verifier(
      policy: policy, storage: try await fixture.storage(policy), environment: try fixture.environment())
    #expect(try await verifier.verify(id).outcome == .passed)
    try await fixture.allowSpareUser()
    let before = Date().addingTimeInterval(-1)
    let report = try await check(fixture)
    #expect(report.ok, "\(report.checks)")
    #expect(report.checks.map(\.name) == ["storage", "backup", "postgresql", "ports"], "\(report.checks)")
    // The disk is the target's free_space finding (the local cluster's state directory).
    #expect(report.target?.first { $0.check == "free_space" }?.status == .ok, "\(report.target ?? [])")
    #expect(report.check("storage").contains("keys from the policy"), "\(report.check("storage"))")
    #expect(report.check("backup").contains("latest good \(id)"), "\(report.check("backup"))")
    let context = try await FailoverContext.connect(
      policy: try fixture.policy(), environment: "failover", variables: try fixture.environment())
    let passed = try #require(try await context.lastCheck(), "no check recorded")
    #expect(passed >= before)
    await fixture.remove()
  }

  /// juju's unit cannot be inspected from here: the target's findings say what the charm
  /// will run, that extensions and free space are unknown (warnings, not failures), and
  /// that juju restores without owners.
  @Test func aJujuEnvironmentsTargetSaysWhatIsUnknown() async throws {
    let fixture = try await BackupFixture.make("libcheckjuju")
    try write(fixture, driver: "juju")
    _ = try await fixture.backUp(try fixture.policy())
    try await fixture.allowSpareUser()
    let report = try await check(fixture)
    let target = Dictionary(uniqueKeysWithValues: (report.target ?? []).map { ($0.check, $0) })
    #expect(target.keys.sorted() == ["extensions", "free_space", "roles", "server"], "\(report.target ?? [])")
    #expect(target["server"]?.status == .ok && target["server"]?.detail.contains("postgresql charm") == true)
    #expect(target["extensions"]?.status == .warn && target["extensions"]?.detail.contains("plpgsql") == true)
    #expect(target["roles"]?.detail.contains("--no-owner") == true)
    #expect(target["free_space"]?.status == .warn)
    await fixture.remove()
  }

  @Test func aFailoverStorageThatDoesNotExistStopsAtTheStorageCheck() async throws {
    let fixture = try await BackupFixture.make("libcheckenvbucket")
    let absent = fixture.bucket + "-absent"
    try write(fixture, storage: "    storage: {url: \"s3://\(absent)/prefix/\"}")
    let report = try await check(fixture)
    #expect(!report.ok)
    #expect(report.checks.map(\.name) == ["storage"], "\(report.checks)")
    #expect(report.check("storage").contains("NoSuchBucket"), "\(report.check("storage"))")
    await fixture.remove()
  }
}
