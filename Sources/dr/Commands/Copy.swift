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
    let selection: CopyRun.Selection
    if backup == "missing" {
      selection = .missing
    } else if let id = BackupID(backup) {
      selection = .id(id)
    } else {
      throw ValidationError("--backup: expected a backup ID or missing")
    }
    let variables = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: variables)
    let json = global.json
    let lines = try await SignalTrap.run { [from, to] in
      let run = try await CopyRun.connect(
        policy: policy, from: from, to: to, selection: selection, variables: variables)
      return try await run.run { event in if !json { Self.print(event) } }
    }
    if json { try Output.json(lines) }
    let failed = lines.filter { $0.outcome != "copied" }.count
    if failed > 0 {
      throw CommandFailed("copy.failed", "\(failed) of \(lines.count) cop(ies) not made", category: .storage)
    }
  }

  static func print(_ event: CopyRun.Event) {
    switch event {
    case .upToDate(let name): Output.line("\(name): nothing to copy, every complete backup is there")
    case .records(let name, let count): Output.line("\(name): \(count) verification records copied")
    case .line(let line, let seconds):
      switch line.outcome {
      case "copied":
        Output.line(
          "\(line.destination): \(line.id) copied, \(ByteCount.format(line.bytes)) in \(String(format: "%.1f", seconds)) s"
        )
      case "unknown": Output.line("\(line.destination): \(line.id) UNKNOWN: \(line.error ?? "")")
      default: Output.line("\(line.destination): \(line.id) FAILED: \(line.error ?? "")")
      }
    }
  }
}
