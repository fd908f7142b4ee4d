import DRBackup
import DRCore
import DRFailover
import DRPolicy
import Foundation
import Testing

struct PlannerTests {
  static let now = Date(timeIntervalSince1970: 1_790_000_000)

  static func policy(_ stack: String, failover: String = "{stack: {haproxy: {port: 18081}}}") throws -> Policy {
    let yaml = """
      name: summit
      database: {url: "postgresql://summit@127.0.0.1:5432/summit"}
      storage: {url: "s3://bucket-1/p/"}
      verify: {max_age: 26h}
      stack:
      \(stack)
      environments:
        production: {}
        failover: \(failover)
      """
    return try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "p.yaml")
  }

  static let seedStack = """
      haproxy: {port: 18080, backends: [app]}
      app: {command: "run app", port: 18000, health: /health, needs: [postgresql, memcached]}
      memcached: {port: 21211}
      postgresql: {port: 55432}
    """

  static func backup(ageHours: Double = 5, verified: Bool = true, bytes: Int64 = 400_000_000) -> PlannedBackup {
    PlannedBackup(
      id: "20261124T221900Z-7f3a", startedAt: now.addingTimeInterval(-ageHours * 3600), ageSeconds: ageHours * 3600,
      sizeBytes: bytes / 4, uncompressedBytes: bytes, verified: verified, location: "s3://bucket-1/p/",
      database: "summit", databaseUser: "summit", serverMajor: 15)
  }

  static func input(
    _ policy: Policy, backup: PlannedBackup? = backup(), history: EstimateHistory = EstimateHistory(),
    checked: Date? = now
  ) throws -> PlannerInput {
    let environment = try #require(policy.environment(named: "failover"))
    return PlannerInput(
      environment: environment, stack: environment.stack(over: policy.stack), backup: backup, history: history,
      maxAge: policy.verify.maxAge.map { TimeInterval($0.seconds) }, credentialsCheckedAt: checked, now: now)
  }

  @Test func dependenciesFirstWithTheRestoreBeforeAnythingThatNeedsTheDatabase() throws {
    let plan = try Planner.plan(try Self.input(try Self.policy(Self.seedStack)))
    #expect(plan.steps.map(\.name) == ["memcached", "postgresql", "restore", "app", "haproxy", "end-to-end"])
    #expect(plan.step("app")?.after == ["postgresql", "memcached", "restore"])
    #expect(plan.step("haproxy")?.port == 18081)
    #expect(plan.step("end-to-end")?.action.contains("http://127.0.0.1:18081/health") == true)
    #expect(plan.warnings.isEmpty)
  }

  @Test func thePolicysOrderIsKeptWhereNothingForcesAnother() throws {
    let stack = """
        postgresql: {port: 55432}
        memcached: {port: 21211}
        worker: {command: "run worker", port: 18100, needs: [postgresql]}
        app: {command: "run app", port: 18000, needs: [postgresql]}
      """
    let plan = try Planner.plan(try Self.input(try Self.policy(stack, failover: "{}")))
    #expect(plan.steps.map(\.name) == ["postgresql", "restore", "memcached", "worker", "app", "end-to-end"])
    #expect(plan.step("end-to-end")?.port == 18100)
  }

  @Test func aPolicyWithoutAStackCannotBePlanned() throws {
    let policy = try PolicyLoader(environment: [:]).parse(
      yaml:
        "name: s\ndatabase: {url: \"postgres://h/db\"}\nstorage: {url: \"s3://bucket-1\"}\nenvironments: {failover: {}}\n",
      file: "p.yaml")
    let environment = try #require(policy.environment(named: "failover"))
    let input = PlannerInput(
      environment: environment, stack: policy.stack, backup: nil, history: .init(), maxAge: nil,
      credentialsCheckedAt: nil, now: Self.now)
    let error = #expect(throws: FailoverError.self) { try Planner.plan(input) }
    #expect(error?.description.contains("add stack:") == true)
  }

  @Test func estimatesComeFromTheLastDrillThenTheLastVerificationThenDefaults() throws {
    let history = EstimateHistory(
      stepSeconds: ["postgresql": 4.5, "app": 2.2, "restore": 99], restoreSecondsPerByte: 1e-8)
    let plan = try Planner.plan(try Self.input(try Self.policy(Self.seedStack), history: history))
    #expect(plan.step("postgresql")?.estimateSeconds == 4.5)
    #expect(plan.step("postgresql")?.estimateSource == "the last drill")
    // Restore time scales with the dump: 400 MB at 1e-8 s a byte.
    #expect(plan.step("restore")?.estimateSeconds == 4)
    #expect(plan.step("restore")?.estimateSource == "the last verification's restore speed")
    #expect(plan.step("memcached")?.estimateSeconds == 1)
    #expect(plan.step("memcached")?.estimateSource == "a default")
    #expect(plan.estimateSeconds == 4.5 + 4 + 1 + 2.2 + 1 + 1)
    let bare = try Planner.plan(try Self.input(try Self.policy(Self.seedStack)))
    #expect(bare.step("restore")?.estimateSeconds == 10)
  }

  @Test func historyFromRecordsTakesTheNewestCompletedDrillAndPassedVerification() {
    let old = FailoverRecord(
      kind: "drill", environment: "failover", driver: "local", backup: "b",
      startedAt: Self.now.addingTimeInterval(-100),
      finishedAt: Self.now, outcome: "completed", steps: [.init(name: "app", seconds: 9, outcome: "ok")], rtoSeconds: 9,
      rpoSeconds: 1, estimateSeconds: 9)
    var newer = old
    newer.startedAt = Self.now.addingTimeInterval(-10)
    newer.steps = [.init(name: "app", seconds: 3, outcome: "ok")]
    var failed = newer
    failed.startedAt = Self.now
    failed.outcome = "failed"
    var resumedFailover = newer
    resumedFailover.kind = "failover"
    resumedFailover.startedAt = Self.now.addingTimeInterval(1)
    resumedFailover.steps = [.init(name: "app", seconds: 0.01, outcome: "ok")]
    let history = EstimateHistory(drills: [old, failed, newer, resumedFailover], verifications: [])
    #expect(history.stepSeconds == ["app": 3])
    #expect(history.restoreSecondsPerByte == nil)
  }

  @Test(arguments: [
    (5.0, true, Optional(now), [String]()),
    (30.0, true, Optional(now), ["older than verify.max_age"]),
    (5.0, false, Optional(now), ["has passed a verification"]),
    (5.0, true, Optional<Date>.none, ["never checked"]),
    (5.0, true, Optional(now.addingTimeInterval(-5 * 86_400)), ["last checked 5 days ago"]),
  ])
  func warnings(_ hours: Double, _ verified: Bool, _ checked: Date?, _ expected: [String]) throws {
    let plan = try Planner.plan(
      try Self.input(
        try Self.policy(Self.seedStack), backup: Self.backup(ageHours: hours, verified: verified), checked: checked))
    #expect(plan.warnings.count == expected.count, "\(plan.warnings)")
    for (warning, fragment) in zip(plan.warnings, expected) { #expect(warning.contains(fragment), "\(warning)") }
  }

  @Test func noBackupIsAWarningNotAnError() throws {
    let plan = try Planner.plan(try Self.input(try Self.policy(Self.seedStack), backup: nil))
    #expect(plan.backup == nil)
    #expect(plan.warnings.contains { $0.contains("nothing to restore") })
  }
}
