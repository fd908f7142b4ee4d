import DRBackup
import DRCore
import DRS3
import DRStorage
import Foundation

/// A report's formats, and where a report goes in the bucket.
public enum ReportFileFormat: String, Sendable, CaseIterable {
  case md, html, json

  public var contentType: String {
    switch self {
    case .md: "text/markdown; charset=utf-8"
    case .html: "text/html; charset=utf-8"
    case .json: "application/json"
    }
  }

  /// The report as text: redacted and, for people's formats, without control characters
  /// (it shows what the bucket holds, and goes back to the bucket, to files and terminals).
  public func render(_ data: ReportData) -> String {
    switch self {
    case .md: ReportRenderer.markdown(data).redacted.escapingControlCharacters
    case .html: ReportRenderer.html(data).redacted.escapingControlCharacters
    case .json: ReportRenderer.json(data).redacted
    }
  }
}

/// Builds a policy's report from its bucket, and stores it there when asked (`dr report
/// --publish`): a dated copy and `latest.EXT` under `NAME/reports/`, which `dr prune` thins
/// with the policy's retention (`ReportRetention`).
public struct ReportPublisher: Sendable {
  public let catalogue: Catalogue
  public let storage: Storage

  public init(catalogue: Catalogue, storage: Storage) {
    self.catalogue = catalogue
    self.storage = storage
  }

  /// The report's data, from the bucket alone.
  public func data(policy: String, maxAge: TimeInterval?, since: Date?, now: Date) async throws -> ReportData {
    let records = try await catalogue.verifications(latestOnly: false).values.flatMap { $0 }
    return ReportData(
      policy: policy, entries: try await catalogue.entries(), records: records, maxAge: maxAge, since: since, now: now)
  }

  /// Uploads `text` as the report of `now`, and as the latest one.
  public func publish(_ text: String, format: ReportFileFormat, now: Date) async throws {
    let body = Array(text.utf8)
    let dated = ReportRetention.name(publishedAt: now, fileExtension: format.rawValue)
    for name in [dated, "latest.\(format.rawValue)"] {
      try await storage.client.putObject(
        bucket: storage.bucket, key: catalogue.layout.reportsPrefix + name, body: body,
        options: S3PutOptions(contentType: format.contentType))
    }
  }
}
