import DRBackup
import DRCore
import DRHTTP
import DRPolicy
import DRStorage
import DRVerify
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
    runAs = geteuid() == 0 ? try ScratchCluster.unprivilegedUser() : nil
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
  public func down(purge: Bool) async {
    for component in stack.components.reversed() where component.kind != .postgresql {
      if let pid = state.pids[component.name] {
        await Daemon.stop(pid)
        state.pids[component.name] = nil
      }
    }
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
    if let owner, let user = getpwnam(owner) {
      guard chown(directory, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
        throw FailoverError(.driver, "cannot give \(directory) to \(owner): \(String(cString: strerror(errno)))")
      }
    }
  }
}
