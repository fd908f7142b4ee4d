import Foundation

/// `verifications/ID/TIMESTAMP.json`: one test restore of a backup, its timings and
/// outcome. Written by `dr verify`, read by `dr list`, `dr report` and the failover
/// planner (restore time estimates).
public struct VerificationRecord: Sendable, Codable, Equatable {
  public static let currentFormat = 1

  public enum Outcome: String, Sendable, Codable {
    /// Restored, every count matched, every check passed.
    case passed
    /// Restored (or tried to) and something of the backup's own did not hold: a checksum,
    /// a decryption, truncation, pg_restore refusing its content, a count or a check that
    /// differs. The backup cannot be trusted.
    case failed
    /// The verifier could not finish for reasons of its own host or settings (a missing
    /// extension or server program, no disk, a scratch server refusing, storage it could
    /// not read). Says nothing of the backup: it never makes `latest` skip it.
    case inconclusive

    /// Whether it says something of the backup (passed or failed).
    public var isConclusive: Bool { self != .inconclusive }
  }

  /// Seconds spent in each phase.
  public struct Phases: Sendable, Codable, Equatable {
    public var download: Double
    public var decompress: Double
    public var restore: Double
    public var checks: Double

    public init(download: Double = 0, decompress: Double = 0, restore: Double = 0, checks: Double = 0) {
      self.download = download
      self.decompress = decompress
      self.restore = restore
      self.checks = checks
    }
  }

  /// One thing that did not match, for people: `table sales.orders: 2000 rows in the
  /// manifest, 1999 restored`.
  public struct Failure: Sendable, Codable, Equatable {
    public var kind: String
    public var subject: String
    public var detail: String
    /// The database it was found in, in a backup of several; nil otherwise.
    public var database: String? = nil

    public init(kind: String, subject: String, detail: String, database: String? = nil) {
      self.kind = kind
      self.subject = subject
      self.detail = detail
      self.database = database
    }
  }

  public var formatVersion: Int
  public var backup: BackupID
  public var policy: String
  public var startedAt: Date
  public var finishedAt: Date
  public var outcome: Outcome
  public var phases: Phases
  public var failures: [Failure]
  /// `local` (a throwaway cluster) or `server` (a scratch database on scratch_url).
  public var scratch: String
  /// PostgreSQL version the backup was restored into.
  public var restoredInto: String
  public var tablesCompared: Int
  public var checksRun: Int
  /// Bytes downloaded (compressed) and restored (uncompressed dump).
  public var downloadedBytes: Int64
  public var restoredBytes: Int64
  public var toolVersion: String
  /// What was done differently from a plain restore, and facts worth keeping (roles not
  /// restored, tablespaces mapped to the default one, partition leaves whose rows moved).
  public var notes: [String]? = nil

  public init(
    formatVersion: Int, backup: BackupID, policy: String, startedAt: Date, finishedAt: Date, outcome: Outcome,
    phases: Phases, failures: [Failure], scratch: String, restoredInto: String, tablesCompared: Int, checksRun: Int,
    downloadedBytes: Int64, restoredBytes: Int64, toolVersion: String
  ) {
    self.formatVersion = formatVersion
    self.backup = backup
    self.policy = policy
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.outcome = outcome
    self.phases = phases
    self.failures = failures
    self.scratch = scratch
    self.restoredInto = restoredInto
    self.tablesCompared = tablesCompared
    self.checksRun = checksRun
    self.downloadedBytes = downloadedBytes
    self.restoredBytes = restoredBytes
    self.toolVersion = toolVersion
  }

  public var durationSeconds: Double { finishedAt.timeIntervalSince(startedAt) }

  /// Download, decompress and restore: what a restore of this backup takes.
  public var restoreSeconds: Double { phases.download + phases.decompress + phases.restore }

  /// The record's key under `verifications/ID/`: its start time to the millisecond, so
  /// keys sort by time, then `tag` (random per record), so two verifications of one backup
  /// started in the same millisecond never overwrite each other's record.
  public func fileName(tag: String = BackupID.randomSuffix()) -> String {
    let milliseconds = Int((startedAt.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
    let padded = String(repeating: "0", count: milliseconds < 10 ? 2 : milliseconds < 100 ? 1 : 0)
    return BackupID.format(startedAt) + "-" + padded + String(milliseconds) + "-" + tag + ".json"
  }
}
