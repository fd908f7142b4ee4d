import Foundation

/// What `dr plan` prints and `dr restore --env` / `dr drill` carry out: the backup it will
/// restore, and the steps that rebuild the stack, dependencies first.
public struct FailoverPlan: Sendable, Codable, Equatable {
  public var environment: String
  public var driver: String
  public var backup: PlannedBackup?
  public var steps: [PlanStep]
  public var warnings: [String]
  /// The PostgreSQL the environment will run (nil: the stack has none, or nothing to restore).
  public var server: PlannedServer? = nil

  /// The expected RTO: every step's estimate.
  public var estimateSeconds: Double { steps.reduce(0) { $0 + $1.estimateSeconds } }

  public func step(_ name: String) -> PlanStep? { steps.first { $0.name == name } }
}

/// The backup a failover restores, and how old it is (the RPO if production died now).
public struct PlannedBackup: Sendable, Codable, Equatable {
  public var id: String
  public var startedAt: Date
  public var ageSeconds: Double
  public var sizeBytes: Int64
  public var uncompressedBytes: Int64
  /// Passed a verification (the latest good backup), or only complete.
  public var verified: Bool
  /// Where it is read from (the environment's storage).
  public var location: String
  public var database: String
  public var databaseUser: String
  public var serverMajor: Int
  /// The dump's major version (pg_dump's; nil in older records: the server's).
  public var dumpMajor: Int? = nil
  /// Set when a rerun of a local failover resumes with the backup it restored already.
  public var resumed: Resumption?

  /// A local failover's state says this backup was restored, and the rerun named no other.
  public struct Resumption: Sendable, Codable, Equatable {
    /// When that restore committed (nil: not recorded).
    public var restoredAt: Date?
    /// The latest good backup, when it is newer than the one resumed.
    public var newer: String?
    /// The state directory that says so.
    public var stateDirectory: String

    public init(restoredAt: Date?, newer: String?, stateDirectory: String) {
      self.restoredAt = restoredAt
      self.newer = newer
      self.stateDirectory = stateDirectory
    }
  }

  public init(
    id: String, startedAt: Date, ageSeconds: Double, sizeBytes: Int64, uncompressedBytes: Int64, verified: Bool,
    location: String, database: String, databaseUser: String, serverMajor: Int
  ) {
    self.id = id
    self.startedAt = startedAt
    self.ageSeconds = ageSeconds
    self.sizeBytes = sizeBytes
    self.uncompressedBytes = uncompressedBytes
    self.verified = verified
    self.location = location
    self.database = database
    self.databaseUser = databaseUser
    self.serverMajor = serverMajor
  }

  /// The oldest major a server restoring this backup may have.
  public var restoreMajor: Int { dumpMajor ?? serverMajor }
}

/// The PostgreSQL a failover environment will run: its major, its version, and where it
/// comes from (the directory of the local driver's programs, or the juju charm's channel).
public struct PlannedServer: Sendable, Codable, Equatable {
  public var major: Int
  public var version: String
  public var source: String
}

/// One step: what it does, how its health is checked, how long it may take.
public struct PlanStep: Sendable, Codable, Equatable {
  public enum Kind: String, Sendable, Codable {
    case postgresql, restore, memcached, app, haproxy, endToEnd = "end-to-end"
  }

  public var name: String
  public var kind: Kind
  /// The stack component it serves (nil for the end-to-end check).
  public var component: String?
  public var port: Int?
  /// What it does, for people (and for juju, the exact commands in `commands`).
  public var action: String
  public var check: String
  public var timeoutSeconds: Double
  public var estimateSeconds: Double
  /// Where the estimate comes from: "the last drill", "the last verification", "a default".
  public var estimateSource: String
  /// Steps that must be healthy first.
  public var after: [String]
  /// The driver's exact commands, when it runs commands (juju).
  public var commands: [String]

  public init(
    name: String, kind: Kind, component: String?, port: Int?, action: String, check: String, timeoutSeconds: Double,
    estimateSeconds: Double, estimateSource: String, after: [String], commands: [String] = []
  ) {
    self.name = name
    self.kind = kind
    self.component = component
    self.port = port
    self.action = action
    self.check = check
    self.timeoutSeconds = timeoutSeconds
    self.estimateSeconds = estimateSeconds
    self.estimateSource = estimateSource
    self.after = after
    self.commands = commands
  }
}
