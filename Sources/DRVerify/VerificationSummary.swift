import DRBackup

/// `dr verify --json`, one per verification: the contract's `id`, `outcome`,
/// `duration_seconds`, `phases` and `failures`. The worker decodes it.
public struct VerificationSummary: Sendable, Codable, Equatable {
  public let id: String
  public let outcome: String
  public let durationSeconds: Double
  public let phases: VerificationRecord.Phases
  public let failures: [VerificationRecord.Failure]
  public let tablesCompared: Int
  public let checksRun: Int
  public let scratch: String
  /// What was done differently from a plain restore (roles, tablespaces, partitions).
  public let notes: [String]

  public init(_ record: VerificationRecord) {
    id = record.backup.rawValue
    outcome = record.outcome.rawValue
    durationSeconds = record.durationSeconds
    phases = record.phases
    failures = record.failures
    tablesCompared = record.tablesCompared
    checksRun = record.checksRun
    scratch = record.scratch
    notes = record.notes ?? []
  }

  enum CodingKeys: String, CodingKey {
    case id, outcome, durationSeconds = "duration_seconds", phases, failures, tablesCompared = "tables_compared"
    case checksRun = "checks_run", scratch, notes
  }
}
