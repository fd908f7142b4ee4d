import DRBackup
import Foundation

/// What past runs measured, for the plan's estimates: the last drill's (or failover's)
/// time of each step, and the restore speed of the last passed verification.
public struct EstimateHistory: Sendable, Equatable {
  /// Step name → seconds, from the newest drill.
  public var stepSeconds: [String: Double]
  /// Seconds a verification took to download, decompress and restore a byte of dump.
  public var restoreSecondsPerByte: Double?

  public init(stepSeconds: [String: Double] = [:], restoreSecondsPerByte: Double? = nil) {
    self.stepSeconds = stepSeconds
    self.restoreSecondsPerByte = restoreSecondsPerByte
  }

  /// From the newest completed drill and the newest passed verification. Failovers do
  /// not count: one that resumed after a stop finds steps done and measures nothing.
  public init(drills: [FailoverRecord], verifications: [VerificationRecord]) {
    let newestRun = drills.filter { $0.outcome == "completed" && $0.kind == "drill" }.max {
      $0.startedAt < $1.startedAt
    }
    stepSeconds = Dictionary(newestRun?.steps.map { ($0.name, $0.seconds) } ?? [], uniquingKeysWith: { $1 })
    let verified = verifications.filter { $0.outcome == .passed && $0.restoredBytes > 0 }
      .max { $0.startedAt < $1.startedAt }
    restoreSecondsPerByte = verified.map { $0.restoreSeconds / Double($0.restoredBytes) }
  }

  /// Defaults for a step never measured.
  static let defaults: [PlanStep.Kind: Double] = [
    .postgresql: 3, .memcached: 1, .app: 3, .haproxy: 1, .endToEnd: 1,
  ]

  /// A restore with no history: 40 MB/s of dump through pg_restore, at least 2 s.
  static let defaultRestoreBytesPerSecond = 40e6

  func estimate(step: String, kind: PlanStep.Kind, restoreBytes: Int64?) -> (seconds: Double, source: String) {
    if kind == .restore, let perByte = restoreSecondsPerByte, let bytes = restoreBytes {
      return (max(1, perByte * Double(bytes)), "the last verification's restore speed")
    }
    if let measured = stepSeconds[step] { return (measured, "the last drill") }
    if kind == .restore, let bytes = restoreBytes {
      return (max(2, Double(bytes) / Self.defaultRestoreBytesPerSecond), "a default of 40 MB/s")
    }
    return (Self.defaults[kind] ?? 1, "a default")
  }
}
