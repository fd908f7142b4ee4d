import Foundation
import Testing

@testable import DRWorker

struct FirePlanTests {
  @Test func takesDueJobsEarliestFirstAndMovesThemOn() throws {
    let jobs = [try job(.verify, "30 * * * *"), try job(.backup, "*/15 * * * *"), try job(.prune, nil)]
    var plan = FirePlan(jobs: jobs, now: try date("2024-03-01T10:05:00Z"), jitter: .none)
    #expect(plan.slots.count == 2)
    #expect(plan.earliest == (try date("2024-03-01T10:15:00Z")))
    #expect(plan.takeDue(at: try date("2024-03-01T10:14:00Z")).isEmpty)
    #expect(plan.takeDue(at: try date("2024-03-01T10:15:00Z")).map(\.job.name) == ["p/backup"])
    #expect(plan.earliest == (try date("2024-03-01T10:30:00Z")))
    #expect(plan.takeDue(at: try date("2024-03-01T10:30:00Z")).map(\.job.name) == ["p/backup", "p/verify"])
    #expect(plan.earliest == (try date("2024-03-01T10:45:00Z")))
  }

  @Test func missedFiresCollapse() throws {
    var plan = FirePlan(jobs: [try job(.backup, "*/15 * * * *")], now: try date("2024-03-01T10:05:00Z"), jitter: .none)
    #expect(plan.takeDue(at: try date("2024-03-01T13:20:00Z")).count == 1)
    #expect(plan.earliest == (try date("2024-03-01T13:30:00Z")))
  }

  @Test func jitterDelaysEachFireFromItsNominalTime() throws {
    let jitter = Jitter(maximumSeconds: 30) { _ in 25 }
    var plan = FirePlan(jobs: [try job(.backup, "*/15 * * * *")], now: try date("2024-03-01T10:05:00Z"), jitter: jitter)
    #expect(plan.earliest == (try date("2024-03-01T10:15:25Z")))
    #expect(plan.takeDue(at: try date("2024-03-01T10:15:25Z")).count == 1)
    #expect(plan.earliest == (try date("2024-03-01T10:30:25Z")))
  }

  @Test func anExpressionThatNeverFiresIsLeftOut() throws {
    let plan = FirePlan(jobs: [try job(.backup, "0 0 30 2 *")], now: try date("2024-03-01T10:05:00Z"), jitter: .none)
    #expect(plan.earliest == nil)
  }
}
