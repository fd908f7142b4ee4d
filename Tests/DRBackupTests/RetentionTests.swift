import DRBackup
import Foundation
import Testing

/// The retention planner's tests; each file adds a suite. Cases name backups by their UTC
/// start, `"2026-11-24 22:19"` (seconds optional), followed by flags: `v` verified, `i`
/// incomplete, `u` its manifest could not be read (reason "403"), `q` complete but its
/// verification record could not be read (reason "503"). Every case states the exact kept backups, with their reasons, and the exact
/// removed ones.
enum RetentionTests {
  /// One planner run and its expected outcome.
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    var backups: [String]
    var rule: RetentionRule?
    var now = "2026-11-25 12:00"
    var grace: TimeInterval = 24 * 3_600
    var protected: [String] = []
    /// Start time → the reasons, joined with ", ".
    var kept: [String: String]
    var removed: [String: String]

    var testDescription: String { name }
  }

  /// Runs `test` and checks the plan: kept and removed sets, reasons, newest-first order,
  /// and that the candidates' order does not matter.
  static func check(_ test: Case) {
    let candidates = test.backups.map(candidate)
    let plan = run(test, candidates)
    #expect(Set(plan.kept) == Set(test.kept.keys.map(id)))
    #expect(Set(plan.removed) == Set(test.removed.keys.map(id)))
    for (when, reasons) in test.kept.merging(test.removed, uniquingKeysWith: { $1 }) {
      #expect(plan.entry(for: id(when)).map(reasonText) == reasons, "\(when)")
    }
    #expect(plan.entries.map(\.id) == Set(candidates.map(\.id)).sorted(by: >))
    #expect(run(test, candidates.reversed()) == plan)
  }

  static func run(_ test: Case, _ candidates: [RetentionCandidate]) -> RetentionPlan {
    Retention.plan(
      candidates: candidates, rule: test.rule, now: id(test.now).startedAt, incompleteGrace: test.grace,
      protected: Set(test.protected.map(id)))
  }

  static func reasonText(_ entry: RetentionPlan.Entry) -> String {
    entry.reasons.map(\.description).joined(separator: ", ")
  }

  /// `"2026-11-24 22:19"` or `"2026-11-24 22:19:30"` → `20261124T221900Z-0000`.
  static func id(_ when: String) -> BackupID {
    let parts = when.split(separator: " ")
    let time = parts[1].filter(\.isNumber)
    let text = parts[0].filter(\.isNumber) + "T" + time + String(repeating: "0", count: 6 - time.count) + "Z-0000"
    return BackupID(text)!
  }

  /// The name cases use for a start time: `"2026-11-24 22:19"`, `"2026-11-24 22:19:30"`.
  static func name(_ date: Date) -> String {
    let raw = Array(BackupID.new(at: date, suffix: 0).rawValue)
    func digits(_ range: Range<Int>) -> String { String(raw[range]) }
    let seconds = digits(13..<15) == "00" ? "" : ":" + digits(13..<15)
    return digits(0..<4) + "-" + digits(4..<6) + "-" + digits(6..<8) + " " + digits(9..<11) + ":" + digits(11..<13)
      + seconds
  }

  /// `"2026-11-24 22:19 v"`: a verified complete backup; `i` marks an incomplete one.
  static func candidate(_ spec: String) -> RetentionCandidate {
    let parts = spec.split(separator: " ")
    let flags = Set(parts.dropFirst(2))
    let unknown: RetentionCandidate.Unknown? =
      flags.contains("u") ? .manifest("403") : flags.contains("q") ? .verification("503") : nil
    return RetentionCandidate(
      id: id(parts.prefix(2).joined(separator: " ")), complete: !flags.contains("i") && !flags.contains("u"),
      verified: flags.contains("v"), unknown: unknown)
  }

  /// A rule with only the parts named.
  static func rule(last: Int = 0, daily: Int = 0, weekly: Int = 0, monthly: Int = 0) -> RetentionRule {
    RetentionRule(keepLast: last, daily: daily, weekly: weekly, monthly: monthly)
  }
}
