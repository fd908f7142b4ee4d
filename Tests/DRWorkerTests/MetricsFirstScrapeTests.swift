import DRCore
import DRWorker
import Foundation
import Testing

/// What a fresh worker shows before any job ran: every series an alert needs, for every
/// policy, at "none known" (0) or "none yet" (-1), and which dr it is.
struct MetricsFirstScrapeTests {
  static let start = Date(timeIntervalSince1970: 1_764_000_000)
  static let timestamps = [
    "dr_backup_last_success_timestamp_seconds", "dr_backup_last_attempt_timestamp_seconds",
    "dr_verify_last_success_timestamp_seconds", "dr_verify_last_timestamp_seconds",
    "dr_newest_verified_backup_timestamp_seconds", "dr_bucket_last_read_success_timestamp_seconds",
  ]

  static func fresh() -> WorkerMetrics {
    WorkerMetrics(startedAt: start, version: "9.8.7", revision: "0123abcd", clock: { start })
  }

  @Test func aPolicyThatNeverRanHasEverySeriesAtItsNoneValue() throws {
    let metrics = Self.fresh()
    metrics.watch(policy: "summit")
    metrics.watch(policy: "orders")
    let exposition = try Exposition.parse(metrics.render())
    for policy in ["summit", "orders"] {
      for name in Self.timestamps {
        #expect(exposition.value(name, ["policy": policy]) == 0, "\(name) of \(policy)")
      }
      #expect(exposition.value("dr_backup_last_outcome", ["policy": policy]) == -1)
      #expect(exposition.value("dr_verify_last_outcome", ["policy": policy]) == -1)
    }
    // An age of nothing is no number: the alert reads the timestamp at 0.
    #expect(exposition.series("dr_newest_verified_backup_age_seconds").isEmpty)
    #expect(exposition.series("dr_build_info") == [["version": "9.8.7", "revision": "0123abcd"]: 1])
  }

  @Test func theDefaultVersionIsDrsOwn() throws {
    let exposition = try Exposition.parse(WorkerMetrics(startedAt: Self.start).render())
    #expect(exposition.series("dr_build_info") == [["version": DRVersion.current, "revision": "unknown"]: 1])
  }

  @Test func aReloadKeepsWhatWasRecorded() throws {
    let metrics = Self.fresh()
    metrics.watch(policy: "summit")
    metrics.backupFinished(policy: "summit", succeeded: true, at: Self.start + 60, durationSeconds: 5)
    metrics.watch(policy: "summit")
    let exposition = try Exposition.parse(metrics.render())
    #expect(exposition.value("dr_backup_last_success_timestamp_seconds", ["policy": "summit"]) == 1_764_000_060)
    #expect(exposition.value("dr_backup_last_outcome", ["policy": "summit"]) == 1)
  }

  @Test func aFailedBackupIsAnAttemptThatLeavesTheLastSuccess() throws {
    let metrics = Self.fresh()
    metrics.watch(policy: "summit")
    metrics.backupFinished(policy: "summit", succeeded: true, at: Self.start + 60, durationSeconds: 5)
    metrics.backupFinished(policy: "summit", succeeded: false, at: Self.start + 600, durationSeconds: 2)
    let exposition = try Exposition.parse(metrics.render())
    let summit = ["policy": "summit"]
    #expect(exposition.value("dr_backup_last_success_timestamp_seconds", summit) == 1_764_000_060)
    #expect(exposition.value("dr_backup_last_attempt_timestamp_seconds", summit) == 1_764_000_600)
    #expect(exposition.value("dr_backup_last_outcome", summit) == 0)
  }

  /// The bucket read at start may end after a job recorded a newer time: it never takes it back.
  @Test func whatTheBucketSaysOnlyMovesTimestampsForward() throws {
    let metrics = Self.fresh()
    metrics.watch(policy: "summit")
    metrics.bucketRecords(policy: "summit", lastBackup: Self.start - 3_600, lastVerification: Self.start - 1_800)
    var exposition = try Exposition.parse(metrics.render())
    let summit = ["policy": "summit"]
    #expect(exposition.value("dr_backup_last_success_timestamp_seconds", summit) == 1_763_996_400)
    #expect(exposition.value("dr_backup_last_attempt_timestamp_seconds", summit) == 1_763_996_400)
    #expect(exposition.value("dr_verify_last_success_timestamp_seconds", summit) == 1_763_998_200)
    // Its outcomes are this worker's own runs: still none.
    #expect(exposition.value("dr_backup_last_outcome", summit) == -1)

    metrics.backupFinished(policy: "summit", succeeded: true, at: Self.start + 60, durationSeconds: 5)
    metrics.bucketRecords(policy: "summit", lastBackup: Self.start - 3_600, lastVerification: nil)
    metrics.newestVerifiedBackup(policy: "summit", at: Self.start)
    metrics.newestVerifiedBackup(policy: "summit", at: Self.start - 7_200)
    exposition = try Exposition.parse(metrics.render())
    #expect(exposition.value("dr_backup_last_success_timestamp_seconds", summit) == 1_764_000_060)
    #expect(exposition.value("dr_newest_verified_backup_timestamp_seconds", summit) == 1_764_000_000)
    #expect(exposition.value("dr_newest_verified_backup_age_seconds", summit) == 0)
  }
}
