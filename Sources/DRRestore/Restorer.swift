import DRBackup
import DRCore
import DRPostgres
import DRS3
import Foundation
import Logging

/// Restores a backup's globals and dump into a database, with checksums verified on the
/// way. Used by `dr restore --target`, `dr verify` and the failover.
public struct Restorer: Sendable {
  /// How the dump reaches pg_restore.
  public enum Mode: Sendable, Equatable {
    /// Streamed into `pg_restore --single-transaction` while it downloads.
    case stream
    /// Written to a temporary file first, then `pg_restore -j jobs`.
    case file(jobs: Int)
  }

  public struct Options: Sendable {
    public var mode: Mode
    /// Skip ownership and privileges (a server without the backup's roles).
    public var noOwner: Bool
    /// Put every object in the default tablespace (a cluster without the source's).
    public var noTablespaces: Bool
    /// Where the temporary dump file goes in `.file` mode.
    public var temporaryDirectory: String

    public init(
      mode: Mode, noOwner: Bool = false, noTablespaces: Bool = false,
      temporaryDirectory: String = NSTemporaryDirectory()
    ) {
      self.mode = mode
      self.noOwner = noOwner
      self.noTablespaces = noTablespaces
      self.temporaryDirectory = temporaryDirectory
    }
  }

  /// How roles and tablespaces are restored.
  public struct GlobalsOptions: Sendable {
    /// Leave tablespaces out (a scratch cluster has no directory for them).
    public var skipTablespaces: Bool

    public init(skipTablespaces: Bool = false) {
      self.skipTablespaces = skipTablespaces
    }
  }

  /// When each phase ended.
  public struct Timings: Sendable {
    public var started: ContinuousClock.Instant
    public var downloaded: ContinuousClock.Instant
    public var decompressed: ContinuousClock.Instant
    public var restored: ContinuousClock.Instant
    public var bytesDownloaded: Int64
    public var bytesRestored: Int64
  }

  public let fetcher: ObjectFetcher
  public let manifest: BackupManifest
  /// The directory of pg_restore and psql (at least the dump's version).
  public let bindir: String
  public let environment: [String: String]
  public let logger: Logger
  /// Where a status line reads how far it is.
  public let progress: RestoreProgress

  public init(
    fetcher: ObjectFetcher, manifest: BackupManifest, bindir: String, environment: [String: String],
    progress: RestoreProgress = RestoreProgress(), logger: Logger = Logger(label: "dr.restore")
  ) {
    self.fetcher = fetcher
    self.manifest = manifest
    self.bindir = bindir
    self.environment = environment
    self.progress = progress
    self.logger = logger
    progress.begin(manifest)
  }

  /// Restores roles and tablespaces with psql into `maintenanceURL`. Roles that exist
  /// already are reported, not fatal; returns the messages worth showing (also which
  /// tablespaces were left out).
  public func restoreGlobals(into maintenanceURL: String, password: String?, options: GlobalsOptions = .init())
    async throws -> [String]
  {
    guard let object = manifest.object(.globals) else { return [] }
    progress.enter(.roles)
    let collected = Collected()
    _ = try await fetch(object) { await collected.append($0) }
    var script = await collected.bytes
    var notes: [String] = []
    if options.skipTablespaces {
      let filtered = GlobalsScript(String(decoding: script, as: UTF8.self)).withoutTablespaces()
      script = Array(filtered.script.utf8)
      notes = filtered.tablespaces.map { "tablespace \($0) mapped to the default one (no directory for it here)" }
    }
    let (termination, standardError) = try await ChildProcess.run(
      "\(bindir)/psql", ["-X", "-q", "-d", maintenanceURL], environment: childEnvironment(password), input: true
    ) { child in
      try await child.input?.write(script)
      child.closeInput()
      while try await child.output.next() != nil {}
      return (await child.wait(), child.standardError)
    }
    let errors = standardError.split(separator: "\n").filter { $0.contains("ERROR:") }.map(String.init)
    let existing = errors.filter { $0.contains("already exists") }
    let other = errors.filter { !$0.contains("already exists") }
    guard termination.succeeded, other.isEmpty else {
      throw failure("restoring globals failed", other.first ?? "\(termination)", stderr: standardError)
    }
    return notes
      + existing.map { line in
        let name =
          line.split(separator: "\"", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? line
        return "role \(name) exists already on the target; kept as it is"
      }
  }

  /// Restores the dump into `databaseURL` (which must exist).
  public func restoreDump(into databaseURL: String, password: String?, options: Options) async throws -> Timings {
    guard let object = manifest.object(.dump) else { throw RestoreError(.corrupt, "the manifest lists no dump") }
    let started = ContinuousClock.now
    progress.enter(.restoring)
    defer { progress.enter(.counting) }
    switch options.mode {
    case .stream:
      return try await stream(object, into: databaseURL, password: password, options: options, started: started)
    case .file(let jobs):
      return try await viaFile(
        object, into: databaseURL, password: password, jobs: jobs, options: options, started: started)
    }
  }

  func pgRestoreArguments(_ databaseURL: String, options: Options) -> [String] {
    var arguments = ["--dbname=\(databaseURL)", "--exit-on-error", "--no-password", "--verbose"]
    if options.noOwner { arguments += ["--no-owner", "--no-acl"] }
    if options.noTablespaces { arguments.append("--no-tablespaces") }
    return arguments
  }

  /// Fetches an object; one the manifest lists but the bucket does not have makes the
  /// backup bad (a failed verification), not the storage unreachable.
  func fetch(_ object: BackupManifest.Object, write: @escaping @Sendable ([UInt8]) async throws -> Void)
    async throws -> ObjectFetcher.Timings
  {
    do {
      return try await fetcher.fetch(object, write: write)
    } catch let error as S3Error where error.status == 404 {
      throw RestoreError(.missing, "\(object.key) is listed in the manifest but missing from the bucket")
    }
  }

  func childEnvironment(_ password: String?) -> [String: String] {
    var result = environment
    if let password { result["PGPASSWORD"] = password }
    return result
  }
}

/// Bytes gathered in order (small objects: globals).
actor Collected {
  private(set) var bytes: [UInt8] = []
  func append(_ chunk: [UInt8]) { bytes += chunk }
}
