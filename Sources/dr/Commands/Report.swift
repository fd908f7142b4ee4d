import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRReport
import DRS3
import DRStorage
import Foundation

struct Report: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "The restore-verification history: every verification, its timings and outcome, trends.",
    discussion: """
      Built from the bucket alone. With --publish it is also uploaded under NAME/reports/ (a
      dated copy and latest.EXT), which dr prune thins with the policy's retention. The HTML
      report is one self-contained file with a chart of backup size and restore time.
      """)

  @OptionGroup var global: GlobalOptions

  @OptionGroup var storageOption: StorageOption

  @Option(help: "md, html or json (json also with --json).")
  var format: ReportFileFormat = .md

  @Option(help: "Only backups and verifications of this recent period (e.g. 30d, 12h).")
  var since: String?

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Flag(help: "Also store the report in the bucket: NAME/reports/report-TIME.EXT and latest.EXT.")
  var publish = false

  func run() async throws {
    let sinceDuration = try since.map { text in
      guard let value = DurationValue(parsing: text) else {
        throw ValidationError("--since: expected a duration such as 30d or 12h, got '\(text)'")
      }
      return value
    }
    let policy = try global.loadPolicy()
    let (storage, catalogue) = try await storageOption.connect(policy)
    let publisher = ReportPublisher(catalogue: catalogue, storage: storage)
    let now = Date()
    let data = try await publisher.data(
      policy: policy.name, maxAge: policy.verify.maxAge.map { TimeInterval($0.seconds) },
      since: sinceDuration.map { now.addingTimeInterval(-TimeInterval($0.seconds)) }, now: now)
    let chosen: ReportFileFormat = global.json ? .json : format
    let text = chosen.render(data)
    if publish { try await publisher.publish(text, format: chosen, now: now) }
    if let output {
      try text.write(toFile: output, atomically: true, encoding: .utf8)
      FileHandle.standardError.write(Data("report written to \(output)\n".utf8))
    } else {
      print(text)
    }
  }
}

extension ReportFileFormat: ExpressibleByArgument {}
