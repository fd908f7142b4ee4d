import DRBackup
import Foundation

/// Everything `dr report` shows, derived once from the catalogue and the verification
/// records; the renderers only format it.
public struct ReportData: Sendable, Equatable {
  /// How the newest verified backup compares with `verify.max_age`.
  public enum Freshness: String, Sendable {
    /// Within max_age, or the policy sets none.
    case fresh
    /// Older than max_age.
    case stale
    /// No backup has passed a test restore.
    case noVerifiedBackup = "none"
  }

  /// The newest backup whose newest test restore passed.
  public struct LatestVerified: Sendable, Equatable {
    public var id: BackupID
    public var startedAt: Date
    /// When the passing test restore started.
    public var verifiedAt: Date
    /// Time since the backup started: how much data a restore of it would lose.
    public var ageSeconds: Double
  }

  public var generatedAt: Date
  public var policy: String
  public var maxAge: TimeInterval?
  public var since: Date?
  /// Found among all the backups, whatever `since` says: an older good backup still counts.
  public var latestVerified: LatestVerified?
  public var freshness: Freshness
  /// Backups started since `since`, newest first.
  public var backups: [ReportBackup]
  /// Reasons of the failed test restores shown, newest first.
  public var failures: [ReportFailure]
  public var counts: ReportCounts
  public var trends: ReportTrends
  /// Failover drills, newest first; rendered only when there are some.
  public var drills: [ReportDrill]

  /// - Parameters:
  ///   - policy: the policy's name.
  ///   - backups: the catalogue's backups, in any order.
  ///   - records: every verification record of the policy, in any order; records of
  ///     backups not listed (pruned since) are left out.
  ///   - maxAge: the policy's `verify.max_age`.
  ///   - since: show only backups and records started at or after this time.
  ///   - drills: failover drills, when there are some.
  ///   - now: the report's time.
  public init(
    policy: String, backups: [ReportBackupInput], records: [VerificationRecord], maxAge: TimeInterval?,
    since: Date? = nil, drills: [ReportDrill] = [], now: Date
  ) {
    let recordsByBackup = Dictionary(grouping: records, by: \.backup)
    var seen = Set<BackupID>()
    let all = backups.filter { seen.insert($0.id).inserted }
      .map { ReportBackup(input: $0, records: recordsByBackup[$0.id] ?? []) }
      .sorted(by: Self.newestFirst)
    let inWindow: (Date) -> Bool = { date in since.map { date >= $0 } ?? true }
    let shown = all.filter { inWindow($0.startedAt) }.map { backup in
      var backup = backup
      backup.verifications = backup.verifications.filter { inWindow($0.startedAt) }
      return backup
    }

    generatedAt = now
    self.policy = policy
    self.maxAge = maxAge
    self.since = since
    latestVerified = Self.latestVerified(all, now: now)
    freshness = Self.freshness(latestVerified, maxAge: maxAge)
    self.backups = shown
    failures = Self.newestFirst(shown.flatMap(Self.failures))
    counts = ReportCounts(shown)
    trends = ReportTrends(shown)
    self.drills = drills.filter { inWindow($0.date) }.sorted { $0.date > $1.date }
  }

  /// From the catalogue's entries.
  public init(
    policy: String, entries: [BackupEntry], records: [VerificationRecord], maxAge: TimeInterval?,
    since: Date? = nil, drills: [ReportDrill] = [], now: Date
  ) {
    self.init(
      policy: policy, backups: entries.map(ReportBackupInput.init), records: records, maxAge: maxAge, since: since,
      drills: drills, now: now)
  }

  /// Stale or no verified backup at all: what should alert someone.
  public var needsAttention: Bool { freshness != .fresh }

  static func newestFirst(_ lhs: ReportBackup, _ rhs: ReportBackup) -> Bool {
    if lhs.startedAt != rhs.startedAt { return lhs.startedAt > rhs.startedAt }
    return lhs.id > rhs.id
  }

  static func latestVerified(_ backups: [ReportBackup], now: Date) -> LatestVerified? {
    guard let backup = backups.first(where: { $0.status == .passed }), let passed = backup.latest else { return nil }
    return LatestVerified(
      id: backup.id, startedAt: backup.startedAt, verifiedAt: passed.startedAt,
      ageSeconds: max(0, now.timeIntervalSince(backup.startedAt)))
  }

  static func freshness(_ latest: LatestVerified?, maxAge: TimeInterval?) -> Freshness {
    guard let latest else { return .noVerifiedBackup }
    guard let maxAge else { return .fresh }
    return latest.ageSeconds > maxAge ? .stale : .fresh
  }

  /// By test restore, newest first; a restore's reasons keep their order.
  static func newestFirst(_ failures: [ReportFailure]) -> [ReportFailure] {
    failures.enumerated().sorted {
      $0.element.verifiedAt != $1.element.verifiedAt
        ? $0.element.verifiedAt > $1.element.verifiedAt : $0.offset < $1.offset
    }.map(\.element)
  }

  /// A failed test restore's reasons; one saying so when it recorded none.
  static func failures(of backup: ReportBackup) -> [ReportFailure] {
    backup.verifications.filter { $0.outcome == .failed }.flatMap { verification in
      let reasons = verification.record.failures.map {
        ReportFailure(
          backup: backup.id, verifiedAt: verification.startedAt, kind: $0.kind, subject: $0.subject,
          detail: $0.detail)
      }
      return reasons.isEmpty
        ? [
          ReportFailure(
            backup: backup.id, verifiedAt: verification.startedAt, kind: "unknown", subject: "",
            detail: "the test restore failed without recording a reason")
        ] : reasons
    }
  }
}
