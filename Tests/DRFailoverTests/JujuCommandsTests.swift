import DRCore
import DRFailover
import DRPolicy
import Foundation
import Testing

/// The juju commands as values: what a plan for `driver: juju` carries and `dr plan` prints.
struct JujuCommandsTests {
  static let jujuFailover = "{driver: juju, credentials: {profile: spare}, stack: {haproxy: {port: 18081}}}"

  static func input(_ failover: String = jujuFailover, backup: PlannedBackup? = PlannerTests.backup()) throws
    -> PlannerInput
  {
    try PlannerTests.input(try PlannerTests.policy(PlannerTests.seedStack, failover: failover), backup: backup)
  }

  static func wait(_ app: String) -> String {
    "juju wait-for application -m dr-failover-failover \(app) '--query=status==\"active\"' --timeout=20m"
  }

  @Test func thePlanOfTheSeedsStackCarriesItsJujuCommands() throws {
    let plan = try Planner.plan(try Self.input())
    let model = "-m dr-failover-failover"
    let ssh = "juju ssh \(model) postgresql/leader --"
    #expect(plan.driver == "juju")
    #expect(plan.steps.map(\.name) == ["memcached", "postgresql", "restore", "app", "haproxy", "end-to-end"])
    #expect(
      plan.step("memcached")?.commands == [
        "juju add-model dr-failover-failover --credential spare", "juju deploy \(model) memcached",
        Self.wait("memcached"),
      ])
    #expect(
      plan.step("postgresql")?.commands == [
        "juju deploy \(model) postgresql --channel 16/stable", Self.wait("postgresql"),
      ])
    let restore = try #require(plan.step("restore")?.commands)
    #expect(restore.count == 9)
    // The probe first: the driver decides on its answer before anything else runs.
    #expect(restore[0].hasPrefix(#"\#(ssh) sudo -u postgres psql -X -At -d summit -c "\"SELECT 'dr-probe', "#))
    #expect(
      Array(restore[1...5]) == [
        "\(ssh) sudo rm -f /tmp/dr-restore.pgc",
        "juju scp \(model) /tmp/dr-restore-20261124T221900Z-7f3a.pgc postgresql/leader:/tmp/dr-restore.pgc",
        "\(ssh) sudo chown postgres /tmp/dr-restore.pgc",
        "\(ssh) sudo -u postgres createdb summit",
        "\(ssh) sudo -u postgres pg_restore --no-owner --no-acl --exit-on-error --single-transaction -d summit "
          + "/tmp/dr-restore.pgc",
      ])
    #expect(restore[6].hasPrefix(#"\#(ssh) sudo -u postgres psql -X -At -d summit -c "\"SELECT n.nspname, "#))
    #expect(restore[7].hasPrefix("\(ssh) sudo -u postgres psql -X -At -d summit -c "))
    #expect(restore[7].contains("COMMENT ON DATABASE"))
    #expect(restore[7].contains("dr failover restore of 20261124T221900Z-7f3a"))
    #expect(restore[8] == "\(ssh) sudo rm -f /tmp/dr-restore.pgc")
    #expect(!restore.contains { $0.contains("dropdb") }, "no command drops the database")
    #expect(
      plan.step("app")?.commands == [
        "juju deploy \(model) app", "juju relate \(model) app postgresql", "juju relate \(model) app memcached",
        Self.wait("app"),
      ])
    #expect(
      plan.step("haproxy")?.commands == [
        "juju deploy \(model) haproxy", "juju relate \(model) haproxy app", Self.wait("haproxy"),
      ])
    #expect(
      plan.step("end-to-end")?.commands == [
        "juju ssh \(model) haproxy/leader -- curl -sf http://localhost:18081/health"
      ])
  }

  @Test func aLocalPlanCarriesNoCommands() throws {
    let plan = try Planner.plan(try Self.input("{stack: {haproxy: {port: 18081}}}"))
    #expect(plan.steps.allSatisfy { $0.commands.isEmpty })
  }

  @Test(arguments: [
    ("{driver: juju, credentials: {profile: spare}}", Optional("spare")),
    ("{driver: juju, storage: {credentials: {profile: offsite}}}", Optional("offsite")),
    ("{driver: juju, credentials: {access_key_id: AKIA1, secret_access_key: s3cret}}", nil),
    ("{driver: juju}", nil),
  ])
  func theModelIsMadeWithAProfilesNameAsItsCredential(_ failover: String, _ credential: String?) throws {
    let plan = try Planner.plan(try Self.input(failover))
    let addModel = "juju add-model dr-failover-failover" + (credential.map { " --credential \($0)" } ?? "")
    #expect(plan.steps.first?.commands.first == addModel)
    #expect(plan.steps.dropFirst().allSatisfy { !$0.commands.contains { $0.contains("add-model") } })
  }

  @Test func theModelIsNamedAfterThePolicyAndTheEnvironment() throws {
    #expect(JujuCommands.modelName(policy: "summit", environment: "failover") == "dr-summit-failover")
    #expect(JujuCommands.modelName(policy: nil, environment: "failover") == "dr-failover-failover")
    #expect(JujuCommands.modelName(policy: "Summit_Prod", environment: "dr-1") == "dr-summit-prod-dr-1")
    let commands = JujuCommands(input: try Self.input(), model: "dr-summit-failover")
    #expect(commands.model == "dr-summit-failover")
    #expect(
      commands.destroyModel.arguments == ["destroy-model", "dr-summit-failover", "--no-prompt", "--destroy-storage"])
  }

  @Test func withoutABackupTheRestoreHasNoCommands() throws {
    let plan = try Planner.plan(try Self.input(backup: nil))
    #expect(plan.step("restore")?.commands == [])
    #expect(plan.step("postgresql")?.commands.isEmpty == false)
  }

  /// What is shown runs what dr runs: each shown line, run by a shell, gives juju the same
  /// arguments; after `ssh … --`, the remote shell gets back each word (here a database
  /// name with a space and a quote, and the row count query).
  @Test func theShownCommandsRunTheSameArguments() async throws {
    var input = try Self.input()
    input.backup?.database = "o'hare db"
    let commands = JujuCommands(input: input)
    let restore = try #require(try Planner.plan(input).step("restore"))
    for invocation in commands.invocations(for: restore) {
      let shown = try await ProcessRunner.run(
        "/bin/sh", ["-c", #"juju() { for a in "$@"; do printf '%s\n' "$a"; done; }; "# + invocation.display])
      #expect(shown.standardOutput == invocation.arguments.map { $0 + "\n" }.joined())
    }
    let createdb = try #require(commands.invocations(for: restore).first { $0.arguments.contains("createdb") })
    #expect(createdb.display.hasSuffix(#"createdb "\"o'hare db\"""#))
    let remote = createdb.arguments.drop { $0 != "--" }.dropFirst().joined(separator: " ")
    let parsed = try await ProcessRunner.run("/bin/sh", ["-c", "printf '%s\\n' " + remote])
    #expect(parsed.standardOutput == "sudo\n-u\npostgres\ncreatedb\no'hare db\n")
    let count = try #require(commands.invocations(for: restore).first { $0.role == .rowCounts })
    let query = try await ProcessRunner.run(
      "/bin/sh", ["-c", "printf '%s\\n' " + count.arguments.drop { $0 != "--" }.dropFirst().joined(separator: " ")])
    let words = query.standardOutput.split(separator: "\n")
    #expect(words.count == 10)
    #expect(words.last?.hasPrefix("SELECT n.nspname, c.relname, (xpath('/row/c/text()'") == true)
  }
}
