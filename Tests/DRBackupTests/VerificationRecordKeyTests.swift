import DRBackup
import Foundation
import Testing

/// Verification records are never overwritten: two runs of one backup started in the same
/// second (a worker and an operator, or a run that stops at once and its retry) each keep
/// their own key, and keys still sort by start time.
struct VerificationRecordKeyTests {
  static func record(startedAt: Date) -> VerificationRecord {
    VerificationRecord(
      formatVersion: 1, backup: BackupID("20261125T200000Z-7f3a")!, policy: "p", startedAt: startedAt,
      finishedAt: startedAt, outcome: .inconclusive, phases: .init(), failures: [], scratch: "local",
      restoredInto: "", tablesCompared: 0, checksRun: 0, downloadedBytes: 0, restoredBytes: 0, toolVersion: "test")
  }

  @Test func twoRecordsOfTheSameSecondHaveTheirOwnKeys() {
    let start = Date(timeIntervalSince1970: 1_796_000_000.25)
    let names = Set((0..<50).map { _ in Self.record(startedAt: start).fileName() })
    #expect(names.count > 45, "random tags almost never collide: \(names.count) of 50")
    #expect(names.allSatisfy { $0.hasPrefix("20261130T005320Z-250-") && $0.hasSuffix(".json") }, "\(names)")
  }

  @Test func keysSortByStartTimeToTheMillisecond() {
    let start = Date(timeIntervalSince1970: 1_796_000_000)
    let times = [0.0, 0.005, 0.09, 0.5, 0.999, 1.0, 61.0]
    let names = times.map { Self.record(startedAt: start + $0).fileName(tag: "ffff") }
    #expect(names == names.sorted(), "\(names)")
    #expect(names[0] == "20261130T005320Z-000-ffff.json")
    #expect(names[1] == "20261130T005320Z-005-ffff.json")
    #expect(names[2] == "20261130T005320Z-090-ffff.json")
  }
}
