import DRBackup
import DRCore
import DRPolicy
import DRRestore
import DRStorage
import Foundation

/// A policy's environment, connected with its own credentials: the storage it reads (its
/// override, or the policy's), the catalogue there, and the history that feeds estimates.
public struct FailoverContext: Sendable {
  public let policy: Policy
  public let environment: EnvironmentSettings
  public let storage: Storage
  public let catalogue: Catalogue
  public let variables: [String: String]

  public static func connect(policy: Policy, environment name: String, variables: [String: String]) async throws
    -> FailoverContext
  {
    guard let environment = policy.environment(named: name) else {
      let known = policy.environments.map(\.name).joined(separator: ", ")
      throw PolicyError(
        file: policy.file, keyPath: "environments",
        problem: "no environment named '\(name)' (have: \(known.isEmpty ? "none" : known))")
    }
    let storage = try await StorageConnector(environment: variables).connect(environment.storage(over: policy.storage))
    let catalogue = Catalogue(storage: storage, policyName: policy.name)
    return FailoverContext(
      policy: policy, environment: environment, storage: storage, catalogue: catalogue, variables: variables)
  }

  /// The juju model of this environment (`dr-<policy>-<environment>`), or of its drills.
  public func jujuModel(drill: Bool) -> String {
    JujuCommands.modelName(policy: policy.name, environment: environment.name) + (drill ? "-drill" : "")
  }

  /// The keys this environment opens backups with: its own first, then the policy's.
  public var keys: KeyRing { KeyRing(policy: policy, environment: environment) }

  /// The environment's stack: the policy's with the environment's ports.
  public var stack: StackSettings { environment.stack(over: policy.stack) }

  /// The plan, the backup it restores (latest good unless `selection` names one) and its
  /// manifest. `stack` replaces the environment's (a drill's free ports). `stateDirectory`:
  /// a local failover's state, whose restored backup a rerun resumes with (`resumption`).
  public func plan(
    _ selection: BackupSelection = .latest, stack override: StackSettings? = nil, drill: Bool = false,
    stateDirectory: String? = nil, now: Date = Date()
  ) async throws -> (FailoverPlan, BackupManifest?) {
    let entries = try await catalogue.entries()
    let (selection, resumed, resumeWarnings) = resumption(selection, directory: stateDirectory, entries: entries)
    var manifest: BackupManifest?
    let uncertain: [String]
    if let chosen = try? selection.forRestore(entries) {
      // The stack's database is the backup's first (with `all`, the policy URL's; with a
      // list, the first listed): of a backup of several, a failover restores that one.
      let full = try await catalogue.manifest(of: chosen.0)
      manifest = full.databaseNames.first.flatMap { full.selecting(database: $0) } ?? full
      uncertain = BackupSelection.unknown(newerThan: chosen.0, in: entries)
    } else {
      uncertain = entries.compactMap { entry in
        entry.unknownReason.map { "backup \(entry.id) could not be read: \($0)" }
      }
    }
    let verified = entries.first { $0.id == manifest?.id }?.verification == "passed"
    var backup = manifest.map { planned($0, verified: verified, now: now) }
    backup?.resumed = resumed
    let records = try await catalogue.verifications(latestOnly: false).values.flatMap { $0 }
    // Only this environment's drills with its driver: a local drill says nothing of juju.
    let drills = try await runRecords().filter {
      $0.environment == environment.name && $0.driver == environment.driver.rawValue
    }
    let history = EstimateHistory(drills: drills, verifications: records)
    var input = PlannerInput(
      environment: environment, stack: override ?? stack, backup: backup, history: history,
      maxAge: policy.verify.maxAge.map { TimeInterval($0.seconds) }, credentialsCheckedAt: try await lastCheck(),
      now: now, jujuModel: jujuModel(drill: drill))
    input.selectionWarnings = resumeWarnings + uncertain
    input.server = try await plannedServer(for: manifest, stack: override ?? stack)
    return (try Planner.plan(input), manifest)
  }

  func planned(_ manifest: BackupManifest, verified: Bool, now: Date) -> PlannedBackup {
    let size: Int64 = manifest.objects.reduce(0) { $0 + $1.size }
    let uncompressed: Int64 = manifest.objects.reduce(0) { $0 + $1.compression.uncompressedSize }
    var planned = PlannedBackup(
      id: manifest.id.rawValue, startedAt: manifest.startedAt, ageSeconds: now.timeIntervalSince(manifest.startedAt),
      sizeBytes: size, uncompressedBytes: uncompressed, verified: verified, location: "\(storage.location)",
      database: manifest.database.name, databaseUser: manifest.database.user, serverMajor: manifest.serverMajor)
    planned.dumpMajor = manifest.dumpMajor
    return planned
  }
}
