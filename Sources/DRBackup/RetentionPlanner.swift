import Foundation

/// Which backups `dr prune` keeps. Pure: no I/O, no clock (the caller passes `now`).
public enum Retention {
  /// Decides, for every candidate, keep or remove, with the reasons; restic's
  /// `forget --keep-*` semantics in UTC.
  ///
  /// - Only complete backups count for the rule: `keepLast` keeps the newest N, `daily`,
  ///   `weekly` and `monthly` the newest of each of the last N days, ISO weeks and months
  ///   that have one (periods without a backup do not count).
  /// - Always kept: the latest good backup (the newest complete one that passed
  ///   verification, else the newest complete one), anything in `protected`, and incomplete
  ///   backups at most `incompleteGrace` old (they may still be running).
  /// - Removed: complete backups the rule does not keep, incomplete ones older than the grace.
  /// - `rule == nil` keeps every complete backup.
  ///
  /// Entries come newest first; a candidate listed twice appears once, complete or
  /// verified if either listing says so.
  /// - Never removed: a backup whose state is unknown. When unknowns could change which
  ///   known backups the rule removes (planned for every state they could be in), nothing
  ///   is removed at all and the plan is `blocked`.
  public static func plan(
    candidates: [RetentionCandidate], rule: RetentionRule?, now: Date, incompleteGrace: TimeInterval,
    protected: Set<BackupID>
  ) -> RetentionPlan {
    let backups = newestFirst(candidates)
    let known = { (backups: [RetentionCandidate]) in
      knownPlan(backups, rule: rule, now: now, incompleteGrace: incompleteGrace, protected: protected)
    }
    guard backups.contains(where: { $0.unknown != nil }) else { return known(backups) }
    return UncertainRetention(backups: backups, knownPlan: known).plan()
  }

  /// The plan when every candidate's state is known.
  static func knownPlan(
    _ backups: [RetentionCandidate], rule: RetentionRule?, now: Date, incompleteGrace: TimeInterval,
    protected: Set<BackupID>
  ) -> RetentionPlan {
    let complete = backups.filter(\.complete)
    let latestGood = complete.first(where: \.verified) ?? complete.first
    let planner = RetentionPlanner(
      ruleReasons: rule.map { $0.reasons(newestFirst: complete) }, latestGood: latestGood, now: now,
      incompleteGrace: incompleteGrace, protected: protected)
    return RetentionPlan(entries: backups.map(planner.decide), latestGood: latestGood?.id)
  }

  /// Candidates without duplicates, newest first (IDs sort by start time). A backup listed
  /// twice is complete or verified if either listing says so, and unknown only if no
  /// listing read it.
  static func newestFirst(_ candidates: [RetentionCandidate]) -> [RetentionCandidate] {
    let unique = Dictionary(candidates.map { ($0.id, $0) }) { first, second in
      let known = [first, second].filter { $0.unknown == nil }
      guard !known.isEmpty else { return first }
      return RetentionCandidate(
        id: first.id, complete: known.contains(where: \.complete), verified: known.contains(where: \.verified))
    }
    return unique.values.sorted { $0.id > $1.id }
  }
}

/// One plan's inputs, applied to each candidate in turn.
struct RetentionPlanner {
  /// What the rule keeps (an absent ID: nothing); nil when there is no rule.
  let ruleReasons: [BackupID: [RetentionReason]]?
  let latestGood: RetentionCandidate?
  let now: Date
  let incompleteGrace: TimeInterval
  let protected: Set<BackupID>

  /// Keep when any reason to keep applies, listing them all; otherwise remove, saying why.
  func decide(_ candidate: RetentionCandidate) -> RetentionPlan.Entry {
    let reasons = keepReasons(candidate)
    if !reasons.isEmpty {
      return RetentionPlan.Entry(candidate: candidate, action: .keep, reasons: reasons)
    }
    let removal: RetentionReason =
      candidate.complete ? .notKeptByRule : .incompleteExpired(grace: incompleteGrace)
    return RetentionPlan.Entry(candidate: candidate, action: .remove, reasons: [removal])
  }

  /// The rule's reasons, then latest good, protected, incomplete within the grace.
  func keepReasons(_ candidate: RetentionCandidate) -> [RetentionReason] {
    var reasons: [RetentionReason] = []
    if candidate.complete {
      reasons += ruleReasons.map { $0[candidate.id] ?? [] } ?? [.noRetentionRule]
      if let latestGood, latestGood.id == candidate.id {
        reasons.append(latestGood.verified ? .newestVerified : .newestComplete)
      }
    }
    if protected.contains(candidate.id) { reasons.append(.protected) }
    if !candidate.complete, withinGrace(candidate.id) { reasons.append(.incompleteWithinGrace) }
    return reasons
  }

  /// At most `incompleteGrace` old; an ID from the future (clock skew) counts as young.
  func withinGrace(_ id: BackupID) -> Bool {
    now.timeIntervalSince(id.startedAt) <= incompleteGrace
  }
}
