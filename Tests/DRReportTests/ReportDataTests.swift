import DRBackup
import DRReport
import Foundation
import Testing

extension ReportTests {
  /// What `ReportData` derives from backups and records.
  @Suite struct Derivation {
    @Test func backupsAreNewestFirstWithTheirRecordsNewestFirst() {
      let data = report()
      #expect(
        data.backups.map(\.id)
          == [
            "2026-11-25 02:00", "2026-11-24 02:00", "2026-11-23 02:00", "2026-11-22 02:00", "2026-11-21 02:00",
            "2026-11-20 02:00",
          ].map(id))
      let twice = data.backups[3]
      #expect(twice.verifications.map(\.startedAt) == [date("2026-11-23 08:00"), date("2026-11-22 06:00")])
      #expect(twice.verifications.map(\.outcome) == [.passed, .failed])
    }

    @Test func theNewestRecordDecidesABackupsStatus() {
      let data = report()
      #expect(data.backups.map(\.status) == [.incomplete, .unverified, .failed, .passed, .failed, .passed])
    }

    @Test func countsAddUp() {
      let counts = report().counts
      #expect(counts.backups == 6)
      #expect(counts.verified == 2)
      #expect(counts.failed == 2)
      #expect(counts.unverified == 1)
      #expect(counts.incomplete == 1)
      #expect(counts.verifications == 6)
    }

    @Test func latestVerifiedIsTheNewestPassedBackupWithItsAge() throws {
      let latest = try #require(report().latestVerified)
      #expect(latest.id == id("2026-11-22 02:00"))
      #expect(latest.verifiedAt == date("2026-11-23 08:00"))
      #expect(latest.ageSeconds == 3 * 86_400 + 10 * 3_600)
    }

    @Test func staleWhenOlderThanMaxAge() {
      #expect(report(maxAge: 26 * 3_600).freshness == .stale)
      #expect(report(maxAge: 26 * 3_600).needsAttention)
      #expect(report(maxAge: 4 * 86_400).freshness == .fresh)
      #expect(report(maxAge: 3 * 86_400 + 10 * 3_600).freshness == .fresh)
      #expect(report(maxAge: nil).freshness == .fresh)
    }

    @Test func noVerifiedBackupIsItsOwnState() {
      let data = ReportData(
        policy: "orders", backups: [backup("2026-11-24 02:00", size: gib)],
        records: [record("2026-11-24 02:00", at: "2026-11-24 06:00", passed: false)], maxAge: nil, now: now)
      #expect(data.latestVerified == nil)
      #expect(data.freshness == .noVerifiedBackup)
      #expect(data.needsAttention)
    }

    @Test func sinceFiltersBackupsAndFailuresButNotTheLatestVerified() throws {
      let data = report(since: "2026-11-23 00:00")
      #expect(data.backups.map(\.id) == ["2026-11-25 02:00", "2026-11-24 02:00", "2026-11-23 02:00"].map(id))
      #expect(data.counts.backups == 3)
      #expect(data.failures.map(\.backup) == [id("2026-11-23 02:00")])
      #expect(data.trends.backupSize.count == 2)
      #expect(try #require(data.latestVerified).id == id("2026-11-22 02:00"))
    }

    @Test func sinceFiltersRecordsToo() {
      let data = report(since: "2026-11-22 00:00")
      let twice = data.backups.first { $0.id == id("2026-11-22 02:00") }
      #expect(twice?.verifications.count == 2)
      let later = report(since: "2026-11-23 00:00")
      #expect(later.backups.allSatisfy { $0.verifications.allSatisfy { $0.startedAt >= date("2026-11-23 00:00") } })
    }

    @Test func failuresAreNewestFirstWithTheirReasons() {
      let failures = report().failures
      #expect(failures.map(\.kind) == ["unknown", "restore", "row_count", "check"])
      #expect(failures[0].backup == id("2026-11-23 02:00"))
      #expect(failures[0].detail == "the test restore failed without recording a reason")
      #expect(failures[1].detail == "exit status 1")
      #expect(failures[2].subject == "sales.orders")
      #expect(failures[3].detail == hostileDetail)
      #expect(failures[3].verifiedAt == date("2026-11-21 06:00"))
    }

    @Test func recordsOfPrunedBackupsAreLeftOut() {
      let data = report()
      #expect(!data.backups.contains { $0.id == id("2026-11-10 02:00") })
      #expect(data.counts.verifications == 6)
    }

    @Test func trendsAreOldestFirst() {
      let trends = report().trends
      // Complete backups only: an incomplete one's size says nothing.
      let sizes: [Int64] = [gib, gib + gib / 20, gib + gib / 10, gib + gib / 8, gib + gib / 5]
      #expect(trends.backupSize.map(\.value) == sizes.map(Double.init))
      #expect(trends.backupSize.map(\.date) == trends.backupSize.map(\.date).sorted())
      // Newest passed restore of each backup: failed ones may have stopped early.
      let passed = ["2026-11-20 02:00", "2026-11-22 02:00", "2026-11-23 02:00"].map { id($0).rawValue }
      #expect(trends.restoreSeconds.map(\.label) == passed)
      #expect(trends.restoreSeconds.map(\.value) == [600, 660, 720])
    }

    @Test func backupDetailsComeFromTheManifest() {
      let data = report()
      let complete = data.backups[1]
      #expect(complete.durationSeconds == 1_200)
      #expect(complete.serverVersion == "17.2")
      #expect(complete.uncompressedBytes == complete.sizeBytes * 4)
      let incomplete = data.backups[0]
      #expect(incomplete.durationSeconds == nil)
      #expect(incomplete.uncompressedBytes == nil)
    }

    @Test func drillsAreNewestFirstAndFilteredBySince() {
      let drills = [
        ReportDrill(date: date("2026-11-01 10:00"), rtoSeconds: 1_800),
        ReportDrill(date: date("2026-11-24 10:00"), rtoSeconds: 1_500),
      ]
      #expect(report(drills: drills).drills.map(\.rtoSeconds) == [1_500, 1_800])
      #expect(report(since: "2026-11-20 00:00", drills: drills).drills.map(\.rtoSeconds) == [1_500])
    }

    @Test func duplicateBackupsCountOnce() {
      let data = ReportData(
        policy: "orders", backups: backups + backups, records: records, maxAge: nil, now: now)
      #expect(data.counts.backups == 6)
    }
  }
}
