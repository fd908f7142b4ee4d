import ArgumentParser
import DRBackup
import DRCore
import DRStorage
import Foundation
import Logging

struct Backup: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "One backup now: dump, compress, upload, manifest.",
    discussion: """
      pg_dump runs in a snapshot whose exact row counts go into the manifest; its output is
      compressed in parallel as independent bzip2 streams and streamed to the bucket. On any
      failure or SIGINT/SIGTERM, pg_dump is stopped and the upload aborted: nothing is listed.
      """)

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: environment)
    let logger = Logger(label: "dr.backup")
    let progress = BackupProgress()
    let status = StatusLine(logger: logger)
    let started = ContinuousClock.now
    do {
      let result = try await SignalTrap.run {
        let storage = try await StorageConnector(environment: environment).connect(policy.storage)
        let runner = BackupRunner(
          policy: policy, storage: storage, environment: environment, progress: progress, logger: logger)
        let ticker = Task {
          while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            status.show { progress.line }
          }
        }
        defer { ticker.cancel() }
        return try await runner.run()
      }
      status.clear()
      try report(result)
    } catch {
      status.clear()
      if global.json {
        try Output.json(
          FailedRun(
            outcome: "failed", error: "\(error)", durationSeconds: (ContinuousClock.now - started).secondsDouble,
            locked: (error as? BackupError)?.code == .locked ? true : nil))
      }
      throw error
    }
  }

  private func report(_ result: BackupResult) throws {
    if global.json { return try Output.json(result) }
    Output.line(
      "backup \(result.id) complete: \(ByteCount.format(result.sizeBytes)) "
        + "(\(ByteCount.format(result.uncompressedBytes)) dumped, \(String(format: "%.2f", result.ratio))×) in "
        + "\(String(format: "%.1f", result.durationSeconds)) s, \(result.tables) tables counted"
        + (result.keyID.map { ", encrypted with key ID \($0)" } ?? "") + "; \(result.location)")
  }
}

/// The JSON of a command that failed: the contract's `outcome` and `duration_seconds`.
struct FailedRun: Encodable {
  let outcome: String
  let error: String
  let durationSeconds: Double
  /// True when another backup of the policy held the lease (the worker tries again).
  var locked: Bool? = nil

  enum CodingKeys: String, CodingKey {
    case outcome, error, locked, durationSeconds = "duration_seconds"
  }
}
