import DRFailover
import Foundation
import Testing

/// A plan that resumes a local failover: the restore step says it restores nothing, and
/// the warnings do not call the resumed backup the only one there is.
struct ResumePlanTests {
  @Test func aResumedBackupsRestoreStepRestoresNothing() throws {
    var backup = PlannerTests.backup(verified: false)
    backup.resumed = PlannedBackup.Resumption(
      restoredAt: Date(timeIntervalSince1970: 1_795_000_000), newer: "20261125T000000Z-0001", stateDirectory: "/s")
    let plan = try Planner.plan(try PlannerTests.input(try PlannerTests.policy(PlannerTests.seedStack), backup: backup))
    let restore = try #require(plan.step("restore"))
    #expect(restore.action.hasPrefix("resume: \(backup.id) is restored already"), "\(restore.action)")
    #expect(restore.check == "dr's marker on \(backup.database) names \(backup.id)")
    #expect(plan.warnings.contains("\(backup.id), which the failover resumes with, has not passed a verification"))
    #expect(!plan.warnings.contains { $0.hasPrefix("no backup has passed a verification") })
  }

  @Test func aFreshRestoreSaysItNeverGoesOverOtherData() throws {
    let plan = try Planner.plan(try PlannerTests.input(try PlannerTests.policy(PlannerTests.seedStack)))
    let restore = try #require(plan.step("restore"))
    #expect(restore.action.hasSuffix("when summit is absent or empty; never over other data"), "\(restore.action)")
    #expect(restore.check == "every table has the row count of the backup's manifest")
  }
}
