import DRBackup
import Testing

/// The published reports' retention, as values: the rule by report time, the newest and
/// `latest.*` always kept, and everything kept when a key is not one dr writes.
struct ReportRetentionTests {
  static let prefix = "p/summit/reports/"

  static func key(_ name: String) -> String { prefix + name }

  @Test func theRuleKeepsTheNewestTimesAndLatest() {
    let keys = [
      "report-20261101T000000Z.md", "report-20261102T000000Z.md", "report-20261102T000000Z.html",
      "report-20261103T120000Z.json", "latest.md", "latest.json",
    ].map(Self.key)
    let plan = ReportRetention.plan(keys: keys, prefix: Self.prefix, rule: RetentionRule(keepLast: 2))
    #expect(plan.removed == [Self.key("report-20261101T000000Z.md")])
    #expect(plan.unparsed.isEmpty)
    #expect(Set(plan.kept) == Set(keys).subtracting(plan.removed))
  }

  @Test func dailyKeepsOnePerDay() {
    let keys = ["report-20261101T010000Z.md", "report-20261101T230000Z.md", "report-20261102T010000Z.md"].map(Self.key)
    let plan = ReportRetention.plan(keys: keys, prefix: Self.prefix, rule: RetentionRule(keepLast: 0, daily: 2))
    #expect(plan.removed == [Self.key("report-20261101T010000Z.md")])
  }

  @Test func theNewestIsKeptEvenByARuleThatKeepsNothing() {
    let keys = ["report-20261101T000000Z.md", "report-20261102T000000Z.md"].map(Self.key)
    let plan = ReportRetention.plan(keys: keys, prefix: Self.prefix, rule: RetentionRule(keepLast: 0))
    #expect(plan.kept == [Self.key("report-20261102T000000Z.md")])
  }

  @Test(arguments: [
    "notes.txt", "report-.md", "report-20261101T000000Z.pdf", "report-2026110T000000Z.md",
    "sub/report-20261101T000000Z.md",
    "latest.txt", "report-20261301T000000Z.md",
  ])
  func aKeyDrDoesNotWriteKeepsEverything(_ odd: String) {
    let keys = ["report-20261101T000000Z.md", "report-20261102T000000Z.md", odd].map(Self.key)
    let plan = ReportRetention.plan(keys: keys, prefix: Self.prefix, rule: RetentionRule(keepLast: 1))
    #expect(plan.removed.isEmpty)
    #expect(plan.unparsed == [Self.key(odd)])
    #expect(plan.kept == keys)
  }

  @Test func noRuleKeepsEverything() {
    let keys = ["report-20261101T000000Z.md", "report-20261102T000000Z.md"].map(Self.key)
    #expect(ReportRetention.plan(keys: keys, prefix: Self.prefix, rule: nil).removed.isEmpty)
  }
}
