import Testing

@testable import DRFailover

/// What the plan says of versions: the dump's major, the server the environment will run
/// (its version and where its programs are), and a warning when that server is older.
struct PlannerVersionTests {
  static func plan(server: PlannedServer?, dumpMajor: Int?) throws -> FailoverPlan {
    var backup = PlannerTests.backup()
    backup.dumpMajor = dumpMajor
    var input = try PlannerTests.input(try PlannerTests.policy(PlannerTests.seedStack), backup: backup)
    input.server = server
    return try Planner.plan(input)
  }

  @Test func theServerStepNamesTheServerAndTheDumpsMajor() throws {
    let server = PlannedServer(major: 17, version: "17.10", source: "/opt/pg17/bin")
    let plan = try Self.plan(server: server, dumpMajor: 16)
    #expect(plan.server == server)
    #expect(
      plan.step("postgresql")?.action
        == "start a PostgreSQL 17.10 cluster on 127.0.0.1:55432 (programs in /opt/pg17/bin) for the dump of PostgreSQL 16"
    )
    #expect(plan.warnings.isEmpty, "\(plan.warnings)")
  }

  /// An older record has no dump major: the server's stands in.
  @Test func withoutAServerTheStepNamesTheDumpsMajor() throws {
    let plan = try Self.plan(server: nil, dumpMajor: nil)
    #expect(plan.step("postgresql")?.action == "start a PostgreSQL 15 cluster on 127.0.0.1:55432")
    #expect(plan.backup?.restoreMajor == 15)
  }

  @Test func aServerOlderThanTheDumpIsAWarning() throws {
    let charm = PlannedServer(major: 14, version: "14", source: "the postgresql charm, channel 14/stable")
    let plan = try Self.plan(server: charm, dumpMajor: 15)
    #expect(plan.warnings.count == 1, "\(plan.warnings)")
    #expect(
      plan.warnings.first?.contains(
        "PostgreSQL 14 (the postgresql charm, channel 14/stable) is older than the dump (PostgreSQL 15)") == true,
      "\(plan.warnings)")
  }
}

/// The postgresql charm's track follows the dump: the oldest track not older than it.
struct JujuChannelTests {
  @Test(arguments: [(nil, "14/stable"), (13, "14/stable"), (14, "14/stable"), (15, "16/stable"), (16, "16/stable")])
  func aDumpGoesOnTheOldestTrackNotOlder(major: Int?, channel: String) {
    #expect(JujuCommands.postgresqlChannel(forDump: major) == channel)
  }

  @Test func aDumpNewerThanEveryTrackHasNone() {
    #expect(JujuCommands.postgresqlChannel(forDump: 17) == nil)
    #expect(JujuCommands.postgresqlChannel(forDump: 18) == nil)
  }
}
