import DRFailover
import Foundation
import Testing

/// What a juju plan says to the person reading it: juju's actions, checks and timeouts,
/// not the local driver's; minutes for a deploy no juju drill has measured.
struct JujuPlanTextTests {
  @Test func stepsDescribeWhatJujuDoesWithItsTimeouts() throws {
    let plan = try Planner.plan(try JujuCommandsTests.input())
    let app = try #require(plan.step("app"))
    #expect(app.action == "deploy the app charm in model dr-failover-failover, related to postgresql, memcached")
    #expect(app.check == "juju wait-for: app is active")
    #expect(app.timeoutSeconds > 20 * 60)
    #expect(plan.step("haproxy")?.action.hasSuffix("related to app") == true)
    #expect(plan.step("restore")?.action.contains("juju scp") == true)
    #expect(plan.step("end-to-end")?.check == "curl on haproxy/leader answers 200")
    for step in plan.steps { #expect(!step.action.contains("127.0.0.1"), "\(step.name): \(step.action)") }
  }

  @Test func aDeployNeverMeasuredIsEstimatedInMinutesAndADrillsTimeIsKept() throws {
    let fresh = try Planner.plan(try JujuCommandsTests.input())
    #expect(fresh.step("postgresql")?.estimateSeconds == 180)
    #expect(fresh.step("postgresql")?.estimateSource == "a default for a juju deploy")
    let policy = try PlannerTests.policy(PlannerTests.seedStack, failover: JujuCommandsTests.jujuFailover)
    let drilled = try Planner.plan(
      try PlannerTests.input(policy, history: EstimateHistory(stepSeconds: ["postgresql": 412, "memcached": 95])))
    #expect(drilled.step("postgresql")?.estimateSeconds == 412)
    #expect(drilled.step("memcached")?.estimateSeconds == 95)
    #expect(drilled.step("app")?.estimateSeconds == 180)
  }
}
