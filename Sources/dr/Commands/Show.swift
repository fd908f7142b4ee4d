import ArgumentParser
import DRBackup
import DRCore
import DRReport
import DRStorage
import Foundation

struct Show: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "One backup in full: databases, tables with row counts, objects, versions, copies, verifications.",
    discussion: """
      Without an ID, the newest complete backup. Copies are looked up in every storage of
      the policy besides the one read (storage.copies, environments with storage of their own).
      """)

  @OptionGroup var global: GlobalOptions

  @OptionGroup var storageOption: StorageOption

  @Argument(help: "A backup ID (default: the newest complete one).")
  var id: String?

  func run() async throws {
    let backup = try id.map { text in
      guard let id = BackupID(text) else {
        throw ValidationError("expected a backup ID such as 20261124T221900Z-7f3a, got \(text)")
      }
      return id
    }
    LogContext.backupID = backup?.rawValue
    let environment = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: environment)
    let settings = try storageOption.settings(policy)
    let storage = try await StorageConnector(environment: environment).connect(settings)
    let details = try await BackupDetails.load(
      backup, policy: policy, source: settings, storage: storage, variables: environment)
    if global.json { return try Output.json(details) }
    details.lines.forEach(Output.line)
  }
}
