import DRCore
import DRWorker
import Foundation
import Synchronization
import Testing

/// A known sequence recorded, rendered, read back by the strict parser: every value is
/// the one recorded, every counter moved exactly as often as it was told.
struct MetricsRenderTests {
  static let start = Date(timeIntervalSince1970: 1_764_000_000)
  static let odd = "we\"ird\\pol\nicy"

  /// A clock the test moves by hand.
  final class Hands: Sendable {
    let now = Mutex(MetricsRenderTests.start)
    var clock: @Sendable () -> Date { { self.now.withLock { $0 } } }
  }

  static func recorded(_ hands: Hands) -> WorkerMetrics {
    let metrics = WorkerMetrics(startedAt: start, clock: hands.clock)
    metrics.backupFinished(
      policy: "summit", succeeded: true, at: start + 60, durationSeconds: 42.5, sizeBytes: 123_456_789)
    metrics.backupFinished(policy: "summit", succeeded: false, at: start + 120, durationSeconds: 3)
    metrics.verificationFinished(policy: "summit", passed: true, at: start + 600, restoreSeconds: 12.25)
    metrics.verificationFinished(policy: "orders", passed: false, at: start + 700)
    metrics.newestVerifiedBackup(policy: "summit", at: start + 60)
    metrics.checkFinished(policy: "summit", environment: "staging", passed: true, at: start + 900)
    metrics.checkFinished(policy: "summit", environment: "dr-site", passed: false, at: start + 950)
    for _ in 0..<3 { metrics.jobRan(policy: "summit", job: "backup", outcome: .succeeded) }
    metrics.jobRan(policy: "summit", job: "verify", outcome: .failed)
    metrics.jobFailed(policy: "summit", job: "verify", reason: .corrupt)
    metrics.jobFailed(policy: odd, job: "backup", reason: .storage)
    metrics.jobFailed(policy: odd, job: "backup", reason: .storage)
    metrics.jobSkipped(policy: "summit", job: "backup")
    return metrics
  }

  @Test func gaugesHoldWhatWasRecorded() throws {
    let hands = Hands()
    let exposition = try Exposition.parse(Self.recorded(hands).render())
    let summit = ["policy": "summit"]
    #expect(exposition.value("dr_worker_start_timestamp_seconds") == 1_764_000_000)
    #expect(exposition.value("dr_backup_last_success_timestamp_seconds", summit) == 1_764_000_060)
    #expect(exposition.value("dr_backup_last_duration_seconds", summit) == 42.5)
    #expect(exposition.value("dr_backup_last_size_bytes", summit) == 123_456_789)
    #expect(exposition.series("dr_verify_last_outcome") == [summit: 1, ["policy": "orders"]: 0])
    #expect(exposition.series("dr_verify_last_restore_seconds") == [summit: 12.25])
    #expect(exposition.value("dr_verify_last_timestamp_seconds", ["policy": "orders"]) == 1_764_000_700)
    #expect(exposition.value("dr_newest_verified_backup_timestamp_seconds", summit) == 1_764_000_060)
    #expect(
      exposition.series("dr_failover_check_ok") == [
        ["policy": "summit", "environment": "staging"]: 1, ["policy": "summit", "environment": "dr-site"]: 0,
      ])
    #expect(
      exposition.value("dr_failover_check_last_timestamp_seconds", ["policy": "summit", "environment": "dr-site"])
        == 1_764_000_950)
  }

  @Test func countersMovedExactly() throws {
    let exposition = try Exposition.parse(Self.recorded(Hands()).render())
    #expect(
      exposition.series("dr_job_runs_total") == [
        ["policy": "summit", "job": "backup", "outcome": "succeeded"]: 3,
        ["policy": "summit", "job": "verify", "outcome": "failed"]: 1,
      ])
    #expect(
      exposition.series("dr_job_failures_total") == [
        ["policy": "summit", "job": "verify", "reason": "corrupt"]: 1,
        ["policy": Self.odd, "job": "backup", "reason": "storage"]: 2,
      ])
    #expect(exposition.series("dr_job_skipped_total") == [["policy": "summit", "job": "backup"]: 1])
  }

  @Test func everyFamilyIsDeclaredAndDocumented() throws {
    let exposition = try Exposition.parse(Self.recorded(Hands()).render())
    let counters: Set = ["dr_job_runs_total", "dr_job_failures_total", "dr_job_skipped_total"]
    #expect(exposition.types.count == 18)
    for (name, type) in exposition.types {
      #expect(type == (counters.contains(name) ? "counter" : "gauge"), "\(name)")
      #expect(!(exposition.help[name] ?? "").isEmpty, "\(name) has no HELP")
    }
  }

  @Test func theAgeIsComputedAtEachScrape() throws {
    let hands = Hands()
    let metrics = Self.recorded(hands)
    let age = "dr_newest_verified_backup_age_seconds"
    hands.now.withLock { $0 = Self.start + 3_660 }
    #expect(try Exposition.parse(metrics.render()).value(age, ["policy": "summit"]) == 3_600)
    hands.now.withLock { $0 = Self.start + 27 * 3_600 + 60 }
    #expect(try Exposition.parse(metrics.render()).value(age, ["policy": "summit"]) == 97_200)
    metrics.newestVerifiedBackup(policy: "summit", at: Self.start + 26 * 3_600 + 60)
    #expect(try Exposition.parse(metrics.render()).value(age, ["policy": "summit"]) == 3_600)
  }

  @Test func eachInstanceHasItsOwnRegistry() throws {
    _ = Self.recorded(Hands())
    let fresh = try Exposition.parse(WorkerMetrics(startedAt: Self.start).render())
    #expect(Set(fresh.types.keys) == ["dr_worker_start_timestamp_seconds", "dr_build_info"])
    #expect(fresh.values.count == 2)
  }
}
