import DRBackup
import DRCore
import DRPostgres
import DRStorage
import Foundation
import Logging

/// Carries out a plan on Juju: a new model, the stack deployed and related there, the
/// database dropped and the backup's dump restored into it, a request through the front.
///
/// Untested against a real juju controller; exercised with a recording stand-in (a `juju`
/// script that logs its arguments) in `JujuDriverTests`.
///
/// Each step runs the commands `JujuCommands` gives for it, in order, through the `juju`
/// found on the environment's PATH, as argument arrays (no shell), and stops at the first
/// one that fails, with its standard error. Creating what exists already (the model, an
/// application, a relation) counts as done, so running a failed failover again resumes.
public actor JujuDriver: FailoverDriver {
  /// Downloads the dump to a path (creating the file); the driver removes it afterwards.
  public typealias DumpFetch = @Sendable (_ path: String) async throws -> Void

  public nonisolated let commands: JujuCommands
  /// Return each step's commands instead of running them.
  public nonisolated let dryRun: Bool
  /// The environment of every juju command; its PATH is where juju is looked for.
  let environment: [String: String]
  let fetchDump: DumpFetch
  /// The manifest's row counts, compared with the restored database's (nil: not compared).
  let expectedCounts: [TableRowCount]?
  let logger: Logger
  /// The absolute path of juju, once found.
  var juju: String?

  /// A driver whose dump comes from `fetchDump` (tests give a fake one).
  public init(
    commands: JujuCommands, environment: [String: String], expectedCounts: [TableRowCount]? = nil,
    dryRun: Bool = false, logger: Logger = Logger(label: "dr.failover"), fetchDump: @escaping DumpFetch
  ) {
    self.commands = commands
    self.environment = environment
    self.expectedCounts = expectedCounts
    self.dryRun = dryRun
    self.logger = logger
    self.fetchDump = fetchDump
  }

  /// A driver that restores `manifest`'s dump from `storage`, checksums verified and
  /// decompressed on the way (`ObjectFetcher`), and checks its row counts.
  public init(
    commands: JujuCommands, storage: Storage, manifest: BackupManifest, keys: KeyRing = .none,
    environment: [String: String], dryRun: Bool = false, logger: Logger = Logger(label: "dr.failover")
  ) {
    self.init(
      commands: commands, environment: environment, expectedCounts: manifest.rowCounts.tables, dryRun: dryRun,
      logger: logger, fetchDump: Self.dumpFetch(storage: storage, manifest: manifest, keys: keys))
  }

  /// Runs `step`'s commands (in dry-run mode, returns them one a line).
  public func execute(_ step: PlanStep) async throws -> String {
    let invocations = commands.invocations(for: step)
    if dryRun { return invocations.map(\.display).joined(separator: "\n") }
    switch step.kind {
    case .restore:
      return try await restore(step, invocations)
    case .endToEnd:
      guard !invocations.isEmpty else { return "no HTTP front: the database check was the last" }
      let output = try await run(invocations, step: step)
      let answer = output.last?.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      return "\(invocations[0].display): \(answer.prefix(160))"
    default:
      let outputs = try await run(invocations, step: step)
      let existing = zip(invocations, outputs).filter { $0.1.status != 0 }.map { $0.0.arguments[0] }
      return "\(step.component ?? step.name) active in model \(commands.model)"
        + (existing.isEmpty ? "" : " (\(existing.joined(separator: ", ")): already there)")
    }
  }

  /// With `purge`, destroys the model and its storage (never with `--force`: a model juju
  /// cannot destroy cleanly is left for a person to look at); without, leaves it running.
  public func down(purge: Bool) async {
    guard purge else {
      logger.info("the juju model \(commands.model) is left running (dr down --purge destroys it)")
      return
    }
    let destroy = commands.destroyModel
    if dryRun { return logger.info("would run: \(destroy.display)") }
    do {
      try await destroyModel()
    } catch {
      logger.error("\(error)")
    }
  }

  /// Destroys the model and its storage; throws with juju's error when it cannot.
  public func destroyModel() async throws {
    _ = try await run([commands.destroyModel], step: nil)
  }
}
