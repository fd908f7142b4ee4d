import DRCore
import Foundation

/// The judgement behind `/healthz`, a pure function of the records and a date.
///
/// A policy is unhealthy when its newest verified backup is older than `verify.max_age`
/// (or none is verified while `max_age` is set), or when its last `check --env` of an
/// environment failed. A failed job alone is not: the schedule runs it again, and if it
/// keeps failing, the newest verified backup grows stale. It is named in the lines so
/// whoever reads them knows where to start.
enum HealthEvaluation {
  static func evaluate(_ records: [String: HealthState.PolicyRecord], now: Date) -> HealthReport {
    var healthy = true
    var lines: [String] = []
    for (policy, record) in records.sorted(by: { $0.key < $1.key }) {
      let problems = problems(policy, record, now: now)
      healthy = healthy && problems.isEmpty
      lines += problems.isEmpty ? [fine(policy, record, now: now)] : problems
    }
    return HealthReport(healthy: healthy, lines: lines)
  }

  /// One line per problem of the policy, each ending with what to do.
  static func problems(_ policy: String, _ record: HealthState.PolicyRecord, now: Date) -> [String] {
    var lines: [String] = []
    if let stale = staleness(record, now: now) {
      let failure = record.lastFailure.map { "; last failure: \(describe($0, now: now))" } ?? ""
      lines.append(
        "\(policy): \(stale): run dr verify --policy \(policy) and look at the worker's log\(failure)")
    }
    for (environment, check) in record.checks.sorted(by: { $0.key < $1.key }) where !check.passed {
      let reason = check.reason.map { ": \(HealthText.brief($0))" } ?? ""
      lines.append(
        "\(policy): check --env \(environment) failed \(HealthText.duration(now.timeIntervalSince(check.at))) ago"
          + "\(reason): run dr check --policy \(policy) --env \(environment) and fix what it reports")
    }
    return lines
  }

  /// What is wrong with the newest verified backup, or nil when nothing is.
  static func staleness(_ record: HealthState.PolicyRecord, now: Date) -> String? {
    guard let maxAge = record.maxAge else { return nil }
    let limit = "max_age \(HealthText.duration(maxAge))"
    guard let verified = record.newestVerified else { return "no verified backup (\(limit))" }
    let age = now.timeIntervalSince(verified)
    guard age > maxAge else { return nil }
    return "newest verified backup is \(HealthText.duration(age, rounding: .up)) old (\(limit))"
  }

  /// The line of a healthy policy: what was looked at, and the last failure if any.
  static func fine(_ policy: String, _ record: HealthState.PolicyRecord, now: Date) -> String {
    let limit = record.maxAge.map { "max_age \(HealthText.duration($0))" } ?? "no max_age"
    var parts = [
      record.newestVerified.map {
        "newest verified backup \(HealthText.duration(now.timeIntervalSince($0))) old (\(limit))"
      } ?? "no verified backup yet (\(limit))"
    ]
    parts += record.checks.keys.sorted().map { "check --env \($0) passed" }
    parts += record.lastFailure.map { ["last failure: \(describe($0, now: now))"] } ?? []
    return "\(policy): ok: " + parts.joined(separator: "; ")
  }

  static func describe(_ failure: HealthState.FailureRecord, now: Date) -> String {
    "\(failure.job) (\(failure.reason.rawValue)) \(HealthText.duration(now.timeIntervalSince(failure.at))) ago: "
      + HealthText.brief(failure.message)
  }
}
