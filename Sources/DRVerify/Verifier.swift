import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRRestore
import DRStorage
import Foundation
import Logging

/// `dr verify`: restores a backup into a scratch target, compares every table's row count
/// with the manifest, runs the policy's checks, times every phase, removes the scratch
/// target (on every exit path) and writes the verification record to the bucket.
public struct Verifier: Sendable {
  public let policy: Policy
  public let storage: Storage
  public let environment: [String: String]
  public let logger: Logger

  public init(
    policy: Policy, storage: Storage, environment: [String: String], logger: Logger = Logger(label: "dr.verify")
  ) {
    self.policy = policy
    self.storage = storage
    self.environment = environment
    self.logger = logger
  }

  public var catalogue: Catalogue {
    Catalogue(
      client: storage.client, bucket: storage.bucket,
      layout: BucketLayout(prefix: storage.prefix, policyName: policy.name))
  }

  /// Verifies one backup and records the outcome. Throws only when the verification
  /// could not run (exit 1); a backup that fails it gives a `.failed` record (exit 3).
  public func verify(_ id: BackupID, jobs: Int = 1) async throws -> VerificationRecord {
    let started = Date()
    let clock = ContinuousClock.now
    let manifest: BackupManifest
    do {
      manifest = try await catalogue.manifest(of: id)
    } catch let error as BackupError where error.code == .notFound || error.code == .manifestUnreadable {
      return try await record(
        id, started: started, outcome: .failed, phases: .init(),
        failures: [.init(kind: "manifest", subject: id.rawValue, detail: error.message)], scratch: "none",
        into: "", counts: 0, checks: 0, bytes: (0, 0))
    }
    logger.info("verifying \(id) (\(manifest.database.name), PostgreSQL \(manifest.database.serverVersion))")
    // The key is found by its ID before anything is downloaded or a scratch target made:
    // a backup no key of the policy opens cannot be restored, so it fails.
    let key: BackupKey?
    do {
      key = try await KeyRing(policy: policy).unlock(manifest, logger: logger)
    } catch let error as BackupError where error.code == .key || error.code == .manifestUnreadable {
      return try await record(
        id, started: started, outcome: .failed, phases: .init(),
        failures: [.init(kind: "encryption", subject: id.rawValue, detail: error.message)], scratch: "none",
        into: "", counts: 0, checks: 0, bytes: (0, 0))
    }
    let scratch = try await ScratchTarget.make(
      policy.verify.scratch, major: manifest.database.serverVersionNum / 10_000, backup: id.rawValue,
      environment: environment, logger: logger)
    do {
      let outcome = try await restoreAndCheck(manifest, key: key, into: scratch, jobs: jobs, clock: clock)
      await Task.detached { await scratch.remove() }.value
      return try await record(
        id, started: started, outcome: outcome.failures.isEmpty ? .passed : .failed, phases: outcome.phases,
        failures: outcome.failures, scratch: scratch.kind, into: outcome.serverVersion,
        counts: manifest.rowCounts.tables.count, checks: policy.verify.checks.count, bytes: outcome.bytes)
    } catch let error as RestoreError where error.failsTheBackup {
      await Task.detached { await scratch.remove() }.value
      return try await record(
        id, started: started, outcome: .failed, phases: .init(),
        failures: [.init(kind: error.failureKind, subject: id.rawValue, detail: error.message)],
        scratch: scratch.kind, into: "", counts: 0, checks: 0, bytes: (0, 0))
    } catch {
      await Task.detached { await scratch.remove() }.value
      throw error
    }
  }
}
