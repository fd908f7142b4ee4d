import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRStorage
import DRVerify
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

  @Flag(help: "With --env: do not ask for confirmation.")
  var yes = false

  @Option(help: "A backup ID, or latest.")
  var backup: String?

  @Option(
    help: "pg_restore jobs; 1 streams the dump into pg_restore as it downloads, more go through a temporary file.")
  var jobs: Int = RestoreDefaults.jobs

  @Flag(help: "Drop and recreate the target database when it is not empty.")
  var clean = false

  @Flag(help: "Do not restore roles, ownership and privileges (a server without the backup's roles, or a shared one).")
  var noOwner = false

  @Option(help: "Where the temporary dump file goes (with --jobs > 1).")
  var temporaryDirectory: String = NSTemporaryDirectory()

  func validate() throws {
    guard (target == nil) != (env == nil) else {
      throw ValidationError("give either --target URL (one database) or --env NAME (the whole stack)")
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
    let result = try await SignalTrap.run { [clean, noOwner, temporaryDirectory] in
      await ScratchReaper(logger: Logger(label: "dr.restore")).reap(temporaryDirectory: temporaryDirectory)
      let storage = try await StorageConnector(environment: environment).connect(policy.storage)
      let catalogue = Catalogue(
        client: storage.client, bucket: storage.bucket,
        layout: BucketLayout(prefix: storage.prefix, policyName: policy.name))
      return try await TargetRestore(catalogue: catalogue, environment: environment, keys: KeyRing(policy: policy)).run(
        selection, target: url, mode: mode, clean: clean, noOwner: noOwner, temporaryDirectory: temporaryDirectory)
    }
    if global.json { return try Output.json(result) }
    for warning in result.warnings { Output.line("warning: \(warning)") }
    Output.line(
      "restored \(result.id) into \(result.target) in "
        + String(
          format: "%.1f s (download %.1f, decompress %.1f, restore %.1f)", result.durationSeconds,
          result.phases.download, result.phases.decompress, result.phases.restore))
  }
}

/// Chosen by measurement (scripts/bench restore): see docs/architecture.md.
enum RestoreDefaults {
  static let jobs = 1
}
