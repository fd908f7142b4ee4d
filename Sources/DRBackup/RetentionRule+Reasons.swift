import DRCore

extension RetentionRule {
  /// The reasons this rule keeps each of `backups` (complete ones, newest first); a backup
  /// the rule does not keep has no entry.
  func reasons(newestFirst backups: [RetentionCandidate]) -> [BackupID: [RetentionReason]] {
    var last = BucketQuota<Int>(keepLast)  // every backup its own period: its index
    var days = BucketQuota<Retention.Day>(daily)
    var weeks = BucketQuota<Retention.Week>(weekly)
    var months = BucketQuota<Retention.Month>(monthly)
    var result: [BackupID: [RetentionReason]] = [:]
    for (index, backup) in backups.enumerated() {
      let date = backup.id.startedAt
      var reasons: [RetentionReason] = []
      if last.admit(index) != nil { reasons.append(.last(rank: index + 1)) }
      if let day = days.admit(Retention.Day(date)) { reasons.append(.daily(day)) }
      if let week = weeks.admit(Retention.Week(date)) { reasons.append(.weekly(week)) }
      if let month = months.admit(Retention.Month(date)) { reasons.append(.monthly(month)) }
      if !reasons.isEmpty { result[backup.id] = reasons }
    }
    return result
  }
}

/// One part of a rule: walking backups newest first, admits the first (newest) backup of each
/// new period until `remaining` periods have one. Periods without a backup are never seen,
/// so they do not count.
struct BucketQuota<Bucket: Equatable> {
  private(set) var remaining: Int
  private var current: Bucket?

  init(_ count: Int) {
    remaining = max(count, 0)
  }

  /// The bucket when this backup is the newest of a period still within the quota.
  mutating func admit(_ bucket: @autoclosure () -> Bucket) -> Bucket? {
    guard remaining > 0 else { return nil }
    let bucket = bucket()
    guard bucket != current else { return nil }
    current = bucket
    remaining -= 1
    return bucket
  }
}
