import DRBackup
import Foundation

extension ReportRenderer {
  /// Stable, machine-readable: snake_case keys, sorted, every key always present (null
  /// when unknown), times in ISO 8601 UTC with milliseconds, sizes in bytes, durations in seconds.
  /// `latest_verified.stale` is true when the newest verified backup is older than max_age
  /// and also when there is none (`state` tells which: `fresh`, `stale`, `none`).
  public static func json(_ data: ReportData) -> String {
    let latest = data.latestVerified
    let root: [String: ReportJSONValue] = [
      "format_version": .int(1),
      "generated_at": .time(data.generatedAt),
      "policy": .string(data.policy),
      "since": .time(data.since),
      "max_age_seconds": .measure(data.maxAge),
      "latest_verified": .object([
        "id": .text(latest?.id.rawValue),
        "started_at": .time(latest?.startedAt),
        "verified_at": .time(latest?.verifiedAt),
        "age_seconds": .measure(latest?.ageSeconds),
        "stale": .bool(data.needsAttention),
        "state": .string(data.freshness.rawValue),
      ]),
      "counts": .object([
        "backups": .int(Int64(data.counts.backups)), "verified": .int(Int64(data.counts.verified)),
        "failed": .int(Int64(data.counts.failed)), "unverified": .int(Int64(data.counts.unverified)),
        "incomplete": .int(Int64(data.counts.incomplete)), "verifications": .int(Int64(data.counts.verifications)),
      ]),
      "backups": .array(data.backups.map(json)),
      "failures": .array(data.failures.map(json)),
      "trends": .object([
        "backup_size_bytes": .array(data.trends.backupSize.map(json)),
        "restore_seconds": .array(data.trends.restoreSeconds.map(json)),
      ]),
      "drills": .array(data.drills.map { .object(["at": .time($0.date), "rto_seconds": .measure($0.rtoSeconds)]) }),
    ]
    return ReportJSONValue.object(root).text
  }

  static func json(_ backup: ReportBackup) -> ReportJSONValue {
    .object([
      "id": .string(backup.id.rawValue),
      "started_at": .time(backup.startedAt),
      "finished_at": .time(backup.finishedAt),
      "duration_seconds": .measure(backup.durationSeconds),
      "complete": .bool(backup.complete),
      "size_bytes": .int(backup.sizeBytes),
      "uncompressed_bytes": .integer(backup.uncompressedBytes),
      "server_version": .text(backup.serverVersion),
      "status": .string(backup.status.rawValue),
      "restore_seconds": .measure(backup.latest?.restoreSeconds),
      "verifications": .array(backup.verifications.map(json)),
    ])
  }

  static func json(_ verification: ReportVerification) -> ReportJSONValue {
    let record = verification.record
    return .object([
      "started_at": .time(record.startedAt),
      "finished_at": .time(record.finishedAt),
      "outcome": .string(record.outcome.rawValue),
      "duration_seconds": .measure(record.durationSeconds),
      "restore_seconds": .measure(verification.restoreSeconds),
      "phases": .object([
        "download": .measure(record.phases.download), "decompress": .measure(record.phases.decompress),
        "restore": .measure(record.phases.restore), "checks": .measure(record.phases.checks),
      ]),
      "failures": .array(
        record.failures.map {
          .object(["kind": .string($0.kind), "subject": .string($0.subject), "detail": .string($0.detail)])
        }),
      "scratch": .string(record.scratch),
      "restored_into": .string(record.restoredInto),
      "tables_compared": .int(Int64(record.tablesCompared)),
      "checks_run": .int(Int64(record.checksRun)),
      "downloaded_bytes": .int(record.downloadedBytes),
      "restored_bytes": .int(record.restoredBytes),
    ])
  }

  static func json(_ failure: ReportFailure) -> ReportJSONValue {
    .object([
      "backup": .string(failure.backup.rawValue), "verified_at": .time(failure.verifiedAt),
      "kind": .string(failure.kind), "subject": .string(failure.subject), "detail": .string(failure.detail),
    ])
  }

  static func json(_ point: ReportPoint) -> ReportJSONValue {
    .object(["at": .time(point.date), "value": .measure(point.value), "backup": .string(point.label)])
  }
}
