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
      Built from the bucket alone. The report is also uploaded under NAME/reports/ (a dated copy
      and latest.EXT). The HTML report is one self-contained file with a chart of backup size
      and restore time.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case md, html, json

    var contentType: String {
      switch self {
      case .md: "text/markdown; charset=utf-8"
      case .html: "text/html; charset=utf-8"
      case .json: "application/json"
      }
    }
  }

  @OptionGroup var global: GlobalOptions

  @OptionGroup var storageOption: StorageOption

  @Option(help: "md, html or json (json also with --json).")
  var format: Format = .md

  @Option(help: "Only backups and verifications of this recent period (e.g. 30d, 12h).")
  var since: String?

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  func run() async throws {
    let sinceDuration = try since.map { text in
      guard let value = DurationValue(parsing: text) else {
        throw ValidationError("--since: expected a duration such as 30d or 12h, got '\(text)'")
      }
      return value
    }
    let environment = ProcessInfo.processInfo.environment
    let policy = try global.loadPolicy(environment: environment)
    let storage = try await StorageConnector(environment: environment).connect(try storageOption.settings(policy))
    let layout = BucketLayout(prefix: storage.prefix, policyName: policy.name)
    let catalogue = Catalogue(client: storage.client, bucket: storage.bucket, layout: layout)
    let now = Date()
    let records = try await catalogue.verifications(latestOnly: false).values.flatMap { $0 }
    let data = ReportData(
      policy: policy.name, entries: try await catalogue.entries(), records: records,
      maxAge: policy.verify.maxAge.map { TimeInterval($0.seconds) },
      since: sinceDuration.map { now.addingTimeInterval(-TimeInterval($0.seconds)) }, now: now)
    let chosen: Format = global.json ? .json : format
    // Redacted and without control characters: the report shows what the bucket holds,
    // and goes back to the bucket, to files and to terminals.
    let text =
      switch chosen {
      case .md: ReportRenderer.markdown(data).redacted.escapingControlCharacters
      case .html: ReportRenderer.html(data).redacted.escapingControlCharacters
      case .json: ReportRenderer.json(data).redacted
      }
    try await upload(text, format: chosen, storage: storage, layout: layout, now: now)
    if let output {
      try text.write(toFile: output, atomically: true, encoding: .utf8)
      FileHandle.standardError.write(Data("report written to \(output)\n".utf8))
    } else {
      print(text)
    }
  }

  private func upload(_ text: String, format: Format, storage: Storage, layout: BucketLayout, now: Date) async throws {
    let body = Array(text.utf8)
    let stamp = now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
      .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
    for name in ["report-\(stamp)Z.\(format.rawValue)", "latest.\(format.rawValue)"] {
      try await storage.client.putObject(
        bucket: storage.bucket, key: layout.reportsPrefix + name, body: body,
        options: S3PutOptions(contentType: format.contentType))
    }
  }
}
