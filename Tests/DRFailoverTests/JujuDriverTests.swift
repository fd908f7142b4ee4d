import DRCore
import DRFailover
import DRPolicy
import DRTestSupport
import Foundation
import Logging
import Testing

@testable import DRPostgres

/// The driver against the recording stand-in: the seed's stack (postgresql, memcached, an
/// app needing both, haproxy in front), run step by step as the runner does.
struct JujuDriverTests {
  static let model = "dr-summit-failover"
  static let dumpBytes = Array("PGDMP fake custom-format dump".utf8)
  static let manifestCounts = [
    TableRowCount(schema: "public", table: "accounts", partitioned: false, rows: 3),
    TableRowCount(schema: "public", table: "events", partitioned: true, rows: 99),
    TableRowCount(schema: "public", table: "orders", partitioned: false, rows: 5),
  ]

  static func plan() throws -> FailoverPlan {
    try Planner.plan(try JujuCommandsTests.input())
  }

  static func driver(_ standIn: JujuStandIn, dryRun: Bool = false, fetch: JujuDriver.DumpFetch? = nil) throws
    -> JujuDriver
  {
    var commands = JujuCommands(input: try JujuCommandsTests.input(), model: model)
    commands.dumpFile = "\(standIn.directory)/dr-restore-20261124T221900Z-7f3a.pgc"
    var quiet = Logger(label: "dr.failover.test")
    quiet.logLevel = .critical
    return JujuDriver(
      commands: commands, environment: standIn.environment, expectedCounts: manifestCounts, dryRun: dryRun,
      logger: quiet, fetchDump: fetch ?? { try Data(dumpBytes).write(to: URL(fileURLWithPath: $0)) })
  }

  /// Runs the plan's steps until one fails, as `FailoverRunner` does.
  static func run(_ driver: JujuDriver, _ plan: FailoverPlan) async -> (details: [String], error: (any Error)?) {
    var details: [String] = []
    for step in plan.steps {
      do { details.append(try await driver.execute(step)) } catch { return (details, error) }
    }
    return (details, nil)
  }

  static func seedCalls(dump: String) -> [[String]] {
    let m = ["-m", model]
    let wait = { (app: String) in
      ["wait-for", "application"] + m + [app, #"--query=status=="active""#, "--timeout=20m"]
    }
    let ssh = { (words: [String]) in ["ssh"] + m + ["postgresql/leader", "--"] + words }
    let postgres = ["sudo", "-u", "postgres"]
    return [
      ["add-model", model, "--credential", "spare"], ["deploy"] + m + ["memcached"], wait("memcached"),
      ["deploy"] + m + ["postgresql", "--channel", "16/stable"], wait("postgresql"),
      // The query, quoted for the remote shell (it holds single quotes, and no `"`, `$` or `\`).
      ssh(postgres + ["psql", "-X", "-At", "-d", "summit", "-c", "\"" + DatabaseContents.probeQuery + "\""]),
      ssh(["sudo", "rm", "-f", "/tmp/dr-restore.pgc"]),
      ["scp"] + m + [dump, "postgresql/leader:/tmp/dr-restore.pgc"],
      ssh(["sudo", "chown", "postgres", "/tmp/dr-restore.pgc"]),
      ssh(postgres + ["createdb", "summit"]),
      ssh(
        postgres + [
          "pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "-d", "summit",
          "/tmp/dr-restore.pgc",
        ]),
    ]
  }

  static func seedCallsAfterTheRestore() -> [[String]] {
    let m = ["-m", model]
    let wait = { (app: String) in
      ["wait-for", "application"] + m + [app, #"--query=status=="active""#, "--timeout=20m"]
    }
    return [
      ["ssh"] + m + ["postgresql/leader", "--", "sudo", "rm", "-f", "/tmp/dr-restore.pgc"],
      ["deploy"] + m + ["app"], ["relate"] + m + ["app", "postgresql"], ["relate"] + m + ["app", "memcached"],
      wait("app"), ["deploy"] + m + ["haproxy"], ["relate"] + m + ["haproxy", "app"], wait("haproxy"),
      ["ssh"] + m + ["haproxy/leader", "--", "curl", "-sf", "http://localhost:18081/health"],
    ]
  }

  @Test func theSeedsStackRunsExactlyThePlannedCommandsInOrder() async throws {
    let standIn = try JujuStandIn()
    defer { standIn.remove() }
    let driver = try Self.driver(standIn)
    let (details, error) = await Self.run(driver, try Self.plan())
    #expect(error == nil)
    let calls = try standIn.calls()
    let dump = driver.commands.dumpFile
    #expect(Array(calls.prefix(11)) == Self.seedCalls(dump: dump))
    #expect(calls.count == 22)
    #expect(
      Array(calls[11].prefix(12)) == ["ssh", "-m", Self.model, "postgresql/leader", "--"] + [
        "sudo", "-u", "postgres", "psql", "-X", "-At", "-d",
      ])
    #expect(calls[12].contains(#""COMMENT ON DATABASE \"summit\" IS 'dr failover restore of 20261124T221900Z-7f3a'""#))
    #expect(Array(calls.suffix(9)) == Self.seedCallsAfterTheRestore())
    #expect(!calls.contains { $0.contains("dropdb") }, "nothing drops the database")
    // The dump reached the unit, and the local copy is gone.
    #expect(FileManager.default.contents(atPath: standIn.uploaded) == Data(Self.dumpBytes))
    #expect(!FileManager.default.fileExists(atPath: dump))
    #expect(details[2] == "restored summit in model dr-summit-failover: 2 tables, row counts match the manifest")
    #expect(details[5].hasSuffix(#"curl -sf http://localhost:18081/health: {"status":"ok","accounts":3}"#))
  }

  @Test func aFailingCommandStopsTheRunWithItsStandardError() async throws {
    let standIn = try JujuStandIn(failing: [
      (prefix: "deploy -m \(Self.model) haproxy", message: "ERROR cannot add application \"haproxy\": quota exceeded")
    ])
    defer { standIn.remove() }
    let (details, error) = await Self.run(try Self.driver(standIn), try Self.plan())
    #expect(details.count == 4)
    let failure = try #require(error as? FailoverError)
    #expect(failure.code == .step("haproxy"))
    #expect(
      failure.message
        == "juju deploy -m dr-summit-failover haproxy failed (exit status 1): "
        + "ERROR cannot add application \"haproxy\": quota exceeded")
    let calls = try standIn.calls()
    #expect(calls.last == ["deploy", "-m", Self.model, "haproxy"])
    #expect(!calls.contains { $0.contains("haproxy/leader") || $0.contains("haproxy") && $0[0] == "relate" })
  }
}

/// Running again, dry runs, no juju, and `down`.
struct JujuDriverModesTests {
  @Test func creatingWhatExistsAlreadyCountsAsDoneSoARerunResumes() async throws {
    let standIn = try JujuStandIn(failing: [
      (prefix: "add-model", message: "ERROR model \"dr-summit-failover\" already exists"),
      (
        prefix: "deploy -m dr-summit-failover memcached",
        message: "ERROR cannot add application \"memcached\": application already exists"
      ),
      (
        prefix: "relate -m dr-summit-failover app postgresql",
        message: "ERROR relation app:db postgresql:db already exists"
      ),
    ])
    defer { standIn.remove() }
    let (details, error) = await JujuDriverTests.run(try JujuDriverTests.driver(standIn), try JujuDriverTests.plan())
    #expect(error == nil)
    #expect(details[0] == "memcached active in model dr-summit-failover (add-model, deploy: already there)")
    #expect(details[3] == "app active in model dr-summit-failover (relate: already there)")
    #expect(try standIn.calls().count == 22)
  }

  @Test func anErrorThatIsNotAboutExistingStillStops() async throws {
    let standIn = try JujuStandIn(failing: [(prefix: "add-model", message: "ERROR no credential \"spare\" for cloud")])
    defer { standIn.remove() }
    let (details, error) = await JujuDriverTests.run(try JujuDriverTests.driver(standIn), try JujuDriverTests.plan())
    #expect(details.isEmpty)
    #expect("\(error.map { "\($0)" } ?? "")".contains("juju add-model dr-summit-failover --credential spare failed"))
    #expect(try standIn.calls().count == 1)
  }

  @Test func withoutJujuOnThePathTheErrorSaysSo() async throws {
    let standIn = try JujuStandIn()
    defer { standIn.remove() }
    try FileManager.default.removeItem(atPath: "\(standIn.directory)/bin/juju")
    let (_, error) = await JujuDriverTests.run(try JujuDriverTests.driver(standIn), try JujuDriverTests.plan())
    let failure = try #require(error as? FailoverError)
    #expect(failure.message.hasPrefix("juju is not installed or not on PATH"))
  }

  @Test func aDryRunReturnsTheCommandsAndRunsNothing() async throws {
    let standIn = try JujuStandIn()
    defer { standIn.remove() }
    try FileManager.default.removeItem(atPath: "\(standIn.directory)/bin/juju")
    let driver = try JujuDriverTests.driver(standIn, dryRun: true) { _ in Issue.record("a dry run fetched the dump") }
    let plan = try JujuDriverTests.plan()
    let (details, error) = await JujuDriverTests.run(driver, plan)
    #expect(error == nil)
    #expect(
      details[1] == "juju deploy -m dr-summit-failover postgresql --channel 16/stable\n"
        + #"juju wait-for application -m dr-summit-failover postgresql '--query=status=="active"' --timeout=20m"#)
    #expect(details.map { $0.split(separator: "\n").count } == plan.steps.map(\.commands.count))
    await driver.down(purge: true)
    #expect(try standIn.calls().isEmpty)
  }

  @Test func downDestroysTheModelOnlyWhenPurging() async throws {
    let standIn = try JujuStandIn()
    defer { standIn.remove() }
    let driver = try JujuDriverTests.driver(standIn)
    await driver.down(purge: false)
    #expect(try standIn.calls().isEmpty)
    await driver.down(purge: true)
    #expect(try standIn.calls() == [["destroy-model", "dr-summit-failover", "--no-prompt", "--destroy-storage"]])
  }
}
