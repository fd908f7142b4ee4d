import DRPolicy
import DRWorker
import Foundation
import Testing

struct JobPlanTests {
  static func policy(_ extra: String, name: String = "summit") throws -> Policy {
    let yaml = "name: \(name)\ndatabase: {url: \"postgres://h/db\"}\nstorage: {url: \"s3://bucket-1\"}\n" + extra
    return try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "\(name).yaml")
  }

  @Test func jobsFromSchedulesAndEnvironments() throws {
    let policy = try Self.policy(
      """
      backup: {schedule: "0 */6 * * *"}
      verify: {schedule: "30 4 * * *"}
      environments: {production: {}, failover: {driver: local}, staging: {driver: local}}
      """)
    let jobs = JobPlan.jobs(for: policy)
    #expect(
      jobs.map(\.name) == [
        "summit/backup", "summit/prune", "summit/verify", "summit/check:failover", "summit/check:staging",
      ])
    #expect(jobs[0].schedule == policy.backup.schedule)
    #expect(jobs[1].schedule == nil)
    #expect(jobs[2].schedule == policy.verify.schedule)
    #expect(jobs[3].schedule?.source == "8 3 * * *")
    #expect(jobs[4].schedule?.source == "47 13 * * *")
  }

  @Test func noScheduleNoJob() throws {
    let policy = try Self.policy("environments: {production: {}}\n")
    #expect(JobPlan.jobs(for: policy).isEmpty)
    let verifyOnly = try Self.policy("verify: {schedule: \"@daily\"}\n")
    #expect(JobPlan.jobs(for: verifyOnly).map(\.kind) == [.verify])
  }

  @Test func jobsForSeveralPolicies() throws {
    let a = try Self.policy("backup: {schedule: \"@hourly\"}\n", name: "a")
    let b = try Self.policy("verify: {schedule: \"@daily\"}\n", name: "b")
    #expect(JobPlan.jobs(for: [a, b]).map(\.name) == ["a/backup", "a/prune", "b/verify"])
  }

  /// FNV-1a of `POLICY\0ENVIRONMENT`: pinned, so a change of hash shows up here.
  @Test(arguments: [("summit", "failover", 3, 8), ("summit", "staging", 13, 47), ("local", "failover", 1, 2)])
  func checkTimeIsStable(policy: String, environment: String, hour: Int, minute: Int) {
    let time = JobPlan.checkTime(policy: policy, environment: environment)
    #expect((time.hour, time.minute) == (hour, minute))
    let again = JobPlan.checkTime(policy: policy, environment: environment)
    #expect((again.hour, again.minute) == (hour, minute))
  }

  @Test func checkTimesDifferBetweenEnvironmentsAndPolicies() {
    let times = [("summit", "failover"), ("summit", "staging"), ("local", "failover")].map {
      let time = JobPlan.checkTime(policy: $0.0, environment: $0.1)
      return time.hour * 60 + time.minute
    }
    #expect(Set(times).count == 3)
  }

  @Test func checkTimesSpreadOverTheDay() {
    let hours = Set((0..<200).map { JobPlan.checkTime(policy: "policy-\($0)", environment: "failover").hour })
    #expect(hours.count >= 20)
  }

  @Test func checkRunsDaily() throws {
    let schedule = JobPlan.checkSchedule(policy: "summit", environment: "failover")
    let first = try #require(schedule.next(after: try date("2024-03-01T00:00:00Z")))
    #expect(first == (try date("2024-03-01T03:08:00Z")))
    #expect(
      Job(policy: "summit", kind: .check(environment: "failover"), schedule: schedule).interval(after: first) == 86_400)
  }

  @Test func kindNames() {
    #expect(
      [JobKind.backup, .verify, .prune, .check(environment: "failover")].map(\.name) == [
        "backup", "verify", "prune", "check:failover",
      ])
  }
}
