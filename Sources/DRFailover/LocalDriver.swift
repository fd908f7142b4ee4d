import DRBackup
import DRCore
import DRHTTP
import DRPolicy
import DRPostgres
import DRRestore
import DRStorage
import Foundation
import Logging

/// Carries out a plan with real processes on this host: a PostgreSQL cluster (initdb,
/// pg_ctl), the restore, memcached, the app and haproxy, each checked before the next.
/// Everything lives in one directory with a `state.json`, so running again resumes, and
/// `down` stops what was started.
public actor LocalDriver {
  public let directory: String
  let stack: StackSettings
  let manifest: BackupManifest?
  /// Where the backup is read from; nil for a driver that only stops things.
  let storage: Storage?
  /// The keys that may open an encrypted backup.
  let keys: KeyRing
  let environment: [String: String]
  let logger: Logger
  let runAs: String?
  let http: HTTPClient
  var state: StackState
  /// The cluster's passwords, once a step needed them (`dr down` never does).
  var passwords: StackPasswords?

  public init(
    directory: String, environmentName: String, stack: StackSettings, manifest: BackupManifest?, storage: Storage?,
    keys: KeyRing = .none, environment: [String: String], logger: Logger = Logger(label: "dr.failover")
  ) throws {
    self.directory = directory
    self.stack = stack
    self.manifest = manifest
    self.storage = storage
    self.keys = keys
    self.environment = environment
    self.logger = logger
    runAs = try Self.serverUser()
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = 2
    configuration.lowSpeedTime = 10
    http = HTTPClient(configuration: configuration)
    state = StackState.load(directory) ?? StackState(environment: environmentName)
    try Self.prepare(directory, owner: runAs)
  }

  /// Runs one step of the plan; returns what it found or did, for the record.
  public func execute(_ step: PlanStep) async throws -> String {
    switch step.kind {
    case .postgresql: return try await startPostgres(step)
    case .restore: return try await restore(step)
    case .memcached: return try await startMemcached(step)
    case .app: return try await startApp(step)
    case .haproxy: return try await startHAProxy(step)
    case .endToEnd: return try await endToEnd(step)
    }
  }

  /// Stops what was started, apps first, PostgreSQL last; with `purge` the directory goes too.
  /// A recorded pid that now names another process is left alone (and said so).
  public func down(purge: Bool) async {
    for component in stack.components.reversed() where component.kind != .postgresql {
      await release(component.name, expected: expectedCommand(component))
    }
    // Processes of components the policy no longer has: only those surely dr's.
    for name in state.pids.keys.sorted() { await release(name, expected: nil) }
    if let postgres = try? await postgres() { await postgres.stop() }
    try? state.save(directory)
    if purge { try? FileManager.default.removeItem(atPath: directory) }
  }

  func record(_ change: (inout StackState) -> Void) throws {
    change(&state)
    try state.save(directory)
  }

  static func prepare(_ directory: String, owner: String?) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    do {
      try LocalCluster.handOver(directory, to: owner)
    } catch let error as PostgresError {
      throw FailoverError(.driver, error.message)
    }
  }

  static func serverUser() throws -> String? {
    do {
      return try LocalCluster.serverUser()
    } catch let error as PostgresError {
      throw FailoverError(.driver, error.message)
    }
  }
}
