import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRRestore
import DRStorage
import Foundation
import Logging

struct Restore: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Restore a backup into a database (--target), or rebuild an environment's whole stack (--env).",
    discussion: """
      --backup latest (the default) is the newest backup that passed a verification, or the
      newest complete one (with a warning) when none did. Checksums are verified while the
      dump downloads; a mismatch stops the restore before pg_restore sees the whole dump.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "The target: postgresql://user@host:port/database (password from PGPASSWORD, ~/.pgpass or the URL).")
  var target: String?

  @Option(help: "Rebuild this environment's whole stack instead (the failover): dr plan --env shows the steps.")
  var env: String?

  @Flag(help: "Do not ask for confirmation: rebuild the stack (--env), or replace a non-empty target (--clean).")
  var yes = false

  @Option(help: "A backup ID, or latest.")
  var backup: String?

  @Option(help: "The database of the backup to restore (with --target; needed when the backup holds several).")
  var database: String?

  @Option(
    help: """
      Restore only this schema of the backup, with what its objects need (repeatable). The target \
      may then be an existing database, when none of the restored objects exist there.
      """)
  var schema: [String] = []

  @Option(
    help: """
      Restore only this table (SCHEMA.TABLE; repeatable), with its indexes, constraints, triggers, \
      owned sequences, grants and comments, and the types and functions it needs that the target lacks.
      """)
  var table: [String] = []

  @Option(help: "Restore the selected tables (of one schema) under this schema name, e.g. beside the live ones.")
  var intoSchema: String?

  @Option(
    help: "pg_restore jobs; 1 streams the dump into pg_restore as it downloads, more go through a temporary file.")
  var jobs: Int = RestoreDefaults.jobs

  @Flag(
    help: """
      Replace the target database when it is not empty: the backup is restored beside it and \
      swapped in only once complete; asks first on a terminal, else needs --yes.
      """)
  var clean = false

  @Flag(help: "Do not restore roles, ownership and privileges (a server without the backup's roles, or a shared one).")
  var noOwner = false

  @Flag(
    help: """
      Attempt the restore into a server older than the dump's major version, which is refused \
      otherwise. Unsupported: it usually fails (the target is then left as it was).
      """)
  var allowOlderServer = false

  @Option(help: "Where the temporary dump file goes (with --jobs > 1).")
  var temporaryDirectory: String = NSTemporaryDirectory()

  @Flag(
    help: """
      Change nothing: look at the target the way the restore would (server version, the dump's \
      extensions, the role's rights, free space) and say what would stop it; exit 1 when something would.
      """)
  var dryRun = false

  func validate() throws {
    guard (target == nil) != (env == nil) else {
      throw ValidationError("give either --target URL (one database) or --env NAME (the whole stack)")
    }
    guard !(database != nil && env != nil) else {
      throw ValidationError("--database goes with --target: a failover restores the backup's first database")
    }
    guard !(allowOlderServer && env != nil) else {
      throw ValidationError("--allow-older-server goes with --target: a failover runs a server of the dump's major")
    }
    try validatePartial()
    guard !(dryRun && env != nil) else {
      throw ValidationError(
        "--dry-run goes with --target; for an environment, dr plan --env and dr check --env look ahead")
    }
  }

  func run() async throws {
    guard let selection = BackupSelection(backup), selection != .allUnverified else {
      throw ValidationError("--backup: expected a backup ID (20261124T221900Z-7f3a) or latest")
    }
    if let env { return try await EnvironmentRestore(global: global, env: env, selection: selection, yes: yes).run() }
    guard let target, let url = PostgresURL(target) else {
      throw ValidationError("--target: expected postgresql://user@host:port/database")
    }
    SecretRegistry.shared.register(url.password?.value)
    let environment = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: environment)
    let mode: Restorer.Mode = jobs <= 1 ? .stream : .file(jobs: jobs)
    let logger = Logger(label: "dr.restore")
    if dryRun { return try await lookAhead(url, selection: selection, policy: policy, logger: logger) }
    let restore = try await SignalTrap.run { [temporaryDirectory] in
      await ScratchReaper(logger: logger).reap(temporaryDirectory: temporaryDirectory)
      let storage = try await StorageConnector(environment: environment).connect(policy.storage)
      let catalogue = Catalogue(storage: storage, policyName: policy.name)
      return TargetRestore(
        catalogue: catalogue, environment: environment, keys: KeyRing(policy: policy), logger: logger)
    }
    let prepared = try await SignalTrap.run { [database, allowOlderServer] in
      try await restore.prepare(selection, target: url, database: database, allowOlderServer: allowOlderServer)
    }
    LogContext.backupID = prepared.manifest.id.rawValue
    if let partial = try partialRequest() {
      return try await restorePartial(restore, prepared, partial, logger: logger)
    }
    if let objects = prepared.replacedObjects, clean { try await confirmReplacing(prepared, objects: objects) }
    let status = StatusLine(logger: logger)
    let ticker = restore.progress.show(on: status)
    defer {
      ticker.cancel()
      status.clear()
    }
    let result = try await SignalTrap.run { [clean, noOwner, temporaryDirectory] in
      try await restore.run(
        prepared, mode: mode, replace: clean, noOwner: noOwner, temporaryDirectory: temporaryDirectory)
    }
    ticker.cancel()
    status.clear()
    if global.json { return try Output.json(result) }
    for warning in result.warnings { Output.line("warning: \(warning)") }
    Output.line(
      "restored \(result.id) into \(result.target) in "
        + String(
          format: "%.1f s (download %.1f, decompress %.1f, restore %.1f)", result.durationSeconds,
          result.phases.download, result.phases.decompress, result.phases.restore)
        + (result.replaced ? "; the database's previous data was replaced, once the new copy was complete" : ""))
  }
}

extension Restore {
  /// A non-empty target is replaced only when the person at the terminal says so by typing
  /// its name, or with --yes.
  func confirmReplacing(_ prepared: TargetRestore.Prepared, objects: Int) async throws {
    guard !yes else { return }
    let name = prepared.databaseName
    guard isatty(0) == 1 else {
      throw ValidationError(
        "database \(name) holds \(objects) objects: replacing it needs --yes (no terminal to ask on)")
    }
    FileHandle.standardError.write(
      Data(
        ("Replace database \(name) on \(prepared.target.hosts) (\(objects) objects) with backup "
          + "\(prepared.manifest.id)? Its data stays until the new copy is complete. "
          + "Type the database's name to go on: ").utf8))
    let answer = try await runBlocking("dr-confirm") { readLine() }
    guard answer?.trimmingCharacters(in: .whitespaces) == name else {
      throw ValidationError("not confirmed: database \(name) is unchanged")
    }
  }
}

/// Chosen by measurement (scripts/bench restore): see docs/architecture.md.
enum RestoreDefaults {
  static let jobs = 1
}
