import ArgumentParser
import DRBackup
import DRCore
import DRStorage
import Foundation
import Logging

struct Copy: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Copy backups to another storage (no recompression, checksums verified), so a copy catches up.",
    discussion: """
      Storages are named production, an environment's name (its storage override and
      credentials), or copy-N (the N-th of storage.copies). Without --to, every copy and
      every environment whose storage differs from the source's.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "The storage to copy from.")
  var from = "production"

  @Option(help: "The storage to copy to (default: every other one).")
  var to: String?

  @Option(help: "A backup ID, or missing (every complete backup the destination lacks).")
  var backup = "missing"

  func run() async throws {
    let variables = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: variables)
    let targets = StorageTargets(policy: policy)
    let sourceSettings = try targets.named(from)
    let destinations = try to.map { [($0, try targets.named($0))] } ?? targets.destinations(besides: sourceSettings)
    guard !destinations.isEmpty else {
      throw ValidationError(
        "nowhere to copy to: add storage.copies or an environment with its own storage, or pass --to")
    }
    let connector = StorageConnector(environment: variables)
    let source = try await connector.connect(sourceSettings)
    var lines: [CopyLine] = []
    var failed = false
    for (name, settings) in destinations {
      let copier = BackupCopier(
        source: source, destination: try await connector.connect(settings, objectLock: policy.retention?.lock),
        policyName: policy.name)
      let (ids, unknown) = try await selected(copier)
      for item in unknown {
        failed = true
        lines.append(
          CopyLine(destination: name, id: item.id.rawValue, outcome: "unknown", bytes: 0, error: item.reason))
        if !global.json { Output.line("\(name): \(item.id) UNKNOWN: \(item.reason)") }
      }
      if ids.isEmpty, unknown.isEmpty, !global.json {
        Output.line("\(name): nothing to copy, every complete backup is there")
      }
      if backup == "missing" {
        let records = try await copier.syncVerifications()
        if records > 0, !global.json { Output.line("\(name): \(records) verification records copied") }
      }
      for id in ids {
        let started = ContinuousClock.now
        do {
          let bytes = try await SignalTrap.run { try await copier.copy(id) }
          let seconds = (ContinuousClock.now - started).seconds
          lines.append(CopyLine(destination: name, id: id.rawValue, outcome: "copied", bytes: bytes, error: nil))
          if !global.json {
            Output.line("\(name): \(id) copied, \(ByteCount.format(bytes)) in \(String(format: "%.1f", seconds)) s")
          }
        } catch let error as SignalTrap.Interrupted {
          throw error
        } catch {
          failed = true
          lines.append(CopyLine(destination: name, id: id.rawValue, outcome: "failed", bytes: 0, error: "\(error)"))
          if !global.json { Output.line("\(name): \(id) FAILED: \(error)") }
        }
      }
    }
    if global.json { try Output.json(lines) }
    if failed { throw ExitCode(ExitStatus.failure.rawValue) }
  }

  private func selected(_ copier: BackupCopier) async throws -> (
    [BackupID], unknown: [(id: BackupID, reason: String)]
  ) {
    if backup == "missing" {
      let missing = try await copier.missing()
      return (missing.ids, missing.unknown)
    }
    guard let id = BackupID(backup) else { throw ValidationError("--backup: expected a backup ID or missing") }
    return ([id], [])
  }
}
