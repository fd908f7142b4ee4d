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
  /// How far the running verification is, for a status line.
  public let progress: RestoreProgress
  public let logger: Logger

  public init(
    policy: Policy, storage: Storage, environment: [String: String], progress: RestoreProgress = RestoreProgress(),
    logger: Logger = Logger(label: "dr.verify")
  ) {
    self.policy = policy
    self.storage = storage
    self.environment = environment
    self.progress = progress
    self.logger = logger
  }

  public var catalogue: Catalogue {
    Catalogue(storage: storage, policyName: policy.name)
  }

  /// Verifies one backup and records the outcome: `passed`, `failed` (the backup's own
  /// fault: a checksum, decryption, truncation, pg_restore refusing its content, a count or
  /// a check that differs) or `inconclusive` (this host or these settings kept it from
  /// finishing: the backup is not blamed). Throws only when interrupted, or when not even
  /// the record could be written.
  public func verify(_ id: BackupID, jobs: Int = 1) async throws -> VerificationRecord {
    let attempt = Attempt(id: id, started: Date())
    let manifest: BackupManifest
    switch try await catalogue.lookUpManifest(of: id) {
    case .found(let found): manifest = found
    case .absent:
      return try await record(attempt.failed("manifest", "backup \(id) has no manifest: it is incomplete"))
    case .unknown(let problem) where problem.kind == .damaged:
      return try await record(attempt.failed("manifest", "the manifest of \(id) \(problem)"))
    case .unknown(let problem):
      // Refused by the storage, or written by a newer dr: this reader's trouble.
      return try await record(attempt.inconclusive("manifest", "the manifest of \(id) \(problem)"))
    }
    logger.info(
      "verifying \(id) (\(manifest.databaseNames.joined(separator: ", ")), PostgreSQL \(manifest.database.serverVersion))"
    )
    // The key is found by its ID before anything is downloaded or a scratch target made.
    let key: BackupKey?
    do {
      key = try await KeyRing(policy: policy).unlock(manifest, logger: logger)
    } catch let error as BackupError where error.code == .key {
      // This host's keys do not open it: its settings, not the backup, are at fault.
      return try await record(attempt.inconclusive("encryption", error.message))
    } catch let error as BackupError where error.code == .manifestUnreadable {
      return try await record(attempt.failed("encryption", error.message))
    }
    let source: Source
    do {
      source = try Source(manifest: manifest, key: key)
    } catch let error as RestoreError {
      // Sealed properties that do not open under the right key: altered.
      return try await record(attempt.failed(error.failureKind, error.message))
    }
    let scratch: ScratchTarget
    let creations: [DatabaseProperties.Creation]
    do {
      (scratch, creations) = try await ScratchTarget.make(
        policy.verify.scratch, major: manifest.dumpMajor, backup: id.rawValue,
        like: source.databases.map(\.properties), environment: environment, logger: logger)
    } catch  where !Task.isCancelled {
      return try await record(attempt.inconclusive("scratch", "\(error)"))
    }
    return try await verify(source, in: scratch, creations: creations, jobs: jobs, attempt: attempt)
  }

  private func verify(
    _ source: Source, in scratch: ScratchTarget, creations: [DatabaseProperties.Creation], jobs: Int,
    attempt: Attempt
  ) async throws -> VerificationRecord {
    let manifest = source.manifest
    var attempt = attempt
    attempt.scratch = scratch.kind
    do {
      let outcome = try await restoreAndCheck(source, into: scratch, creations: creations, jobs: jobs)
      await Task.detached { await scratch.remove() }.value
      return try await record(attempt.finished(outcome, manifest: manifest, checks: policy.verify.checks.count))
    } catch let error as RestoreError where error.failsTheBackup {
      await Task.detached { await scratch.remove() }.value
      return try await record(attempt.failed(error.failureKind, error.message))
    } catch {
      await Task.detached { await scratch.remove() }.value
      if Task.isCancelled { throw error }
      return try await record(attempt.inconclusive(Attempt.kind(of: error), "\(error)"))
    }
  }
}
