import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRStorage
import Foundation
import Logging

struct Backup: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "One backup now: dump, compress, upload, manifest.",
    discussion: """
      pg_dump runs in a snapshot whose exact row counts go into the manifest; its output is
      compressed in parallel as independent streams of the policy's codec (bzip2 streams, or
      zstd frames) and streamed to the bucket. On any
      failure or SIGINT/SIGTERM, pg_dump is stopped and the upload aborted: nothing is listed.
      The same stream also goes to every copy (storage.copies, and each environment with
      storage of its own), each with its own credentials; a copy that fails is reported
      (exit 1) and leaves no manifest, the others complete.
      One backup of a policy runs at a time: its lease (NAME/lock.json, 10 minutes, renewed
      every third of that; DR_BACKUP_LEASE_TTL_SECONDS, 3 to 3600, changes the lifetime for
      tests and slow storage). A backup whose lease another run took over stops as if
      interrupted, removes what it wrote, and exits 1 naming the new holder.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Write production's storage only, not the copies (dr copy catches them up later).")
  var noCopies = false

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: environment)
    let logger = Logger(label: "dr.backup")
    let progress = BackupProgress()
    let status = StatusLine(logger: logger)
    do {
      let result = try await SignalTrap.run {
        let storage = try await StorageConnector(environment: environment).connect(
          policy.storage, objectLock: policy.retention?.lock)
        let (targets, unreachable) = await Self.copyTargets(policy, noCopies: noCopies, environment: environment)
        let runner = BackupRunner(
          policy: policy, storage: storage, environment: environment, progress: progress, copies: targets,
          logger: logger)
        let ticker = Task {
          while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            status.show { progress.line }
          }
        }
        defer { ticker.cancel() }
        var result = try await runner.run()
        result.copies += unreachable
        return result
      }
      status.clear()
      try report(result)
      let failed = result.copies.filter { $0.outcome != "complete" }.map(\.destination)
      if !failed.isEmpty {
        throw CommandFailed(
          "backup.copies", "backup \(result.id) complete, but not its copies to \(failed.joined(separator: ", "))",
          category: .storage)
      }
    } catch let failed as CommandFailed {
      throw failed
    } catch {
      status.clear()
      throw error
    }
  }

  /// The copies to write in the same pass, connected with their credentials; those that
  /// cannot be connected are failed copies from the start.
  static func copyTargets(_ policy: Policy, noCopies: Bool, environment: [String: String]) async
    -> ([BackupCopyTarget], [BackupCopyOutcome])
  {
    guard !noCopies else { return ([], []) }
    var targets: [BackupCopyTarget] = []
    var unreachable: [BackupCopyOutcome] = []
    for (name, settings) in policy.copyDestinations {
      do {
        let storage = try await StorageConnector(environment: environment).connect(
          settings, objectLock: policy.retention?.lock)
        targets.append(BackupCopyTarget(name: name, storage: storage))
      } catch {
        unreachable.append(BackupCopyOutcome(destination: name, outcome: "failed", reason: "\(error)"))
      }
    }
    return (targets, unreachable)
  }

  private func report(_ result: BackupResult) throws {
    if global.json { return try Output.json(result) }
    for copy in result.copies {
      Output.line("copy \(copy.destination): \(copy.outcome)\(copy.reason.map { ": \($0)" } ?? "")")
    }
    Output.line(
      "backup \(result.id) complete: \(ByteCount.format(result.sizeBytes)) "
        + "(\(ByteCount.format(result.uncompressedBytes)) dumped, \(String(format: "%.2f", result.ratio))×) in "
        + "\(String(format: "%.1f", result.durationSeconds)) s, \(result.tables) tables counted"
        + (result.databases.count > 1
          ? " in \(result.databases.count) databases (\(result.databases.joined(separator: ", ")))" : "")
        + (result.keyID.map { ", encrypted with key ID \($0)" } ?? "") + "; \(result.location)")
  }
}
