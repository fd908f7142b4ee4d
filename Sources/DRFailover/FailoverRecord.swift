import Foundation

/// `NAME/failovers/TIME.json` and `NAME/drills/TIME.json`: a failover or a drill as it ran,
/// step by step, with the measured RTO and the backup's age (RPO).
public struct FailoverRecord: Sendable, Codable, Equatable {
  public struct Step: Sendable, Codable, Equatable {
    public var name: String
    public var seconds: Double
    public var outcome: String
    public var detail: String

    public init(name: String, seconds: Double, outcome: String, detail: String = "") {
      self.name = name
      self.seconds = seconds
      self.outcome = outcome
      self.detail = detail
    }
  }

  public var formatVersion: Int
  /// `failover` or `drill`.
  public var kind: String
  public var environment: String
  public var driver: String
  public var backup: String
  public var startedAt: Date
  public var finishedAt: Date
  public var outcome: String
  public var steps: [Step]
  public var rtoSeconds: Double
  public var rpoSeconds: Double
  public var estimateSeconds: Double

  public init(
    kind: String, environment: String, driver: String, backup: String, startedAt: Date, finishedAt: Date,
    outcome: String, steps: [Step], rtoSeconds: Double, rpoSeconds: Double, estimateSeconds: Double
  ) {
    self.formatVersion = 1
    self.kind = kind
    self.environment = environment
    self.driver = driver
    self.backup = backup
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.outcome = outcome
    self.steps = steps
    self.rtoSeconds = rtoSeconds
    self.rpoSeconds = rpoSeconds
    self.estimateSeconds = estimateSeconds
  }
}
