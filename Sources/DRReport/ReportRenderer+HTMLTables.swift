import DRBackup
import Foundation

extension ReportRenderer {
  /// Every test restore, newest backup first, with its phases.
  static func htmlRestores(_ data: ReportData) -> String {
    let rows = data.backups.flatMap { backup in
      backup.verifications.map { verification in
        let record = verification.record
        let phases = [record.phases.download, record.phases.decompress, record.phases.restore, record.phases.checks]
        return [ReportHTML.code(backup.id.rawValue), ReportHTML.escape(ReportFormat.stamp(record.startedAt))]
          + [ReportHTML.badge(record.outcome.rawValue, record.outcome.rawValue)]
          + (phases + [verification.durationSeconds]).map { ReportHTML.escape(ReportFormat.duration($0)) }
          + [ReportHTML.escape(compared(record))]
      }
    }
    let table = ReportHTML.table(
      ["Backup", "Ran at (UTC)", "Outcome", "Download", "Decompress", "Restore", "Checks", "Total", "Compared"], rows,
      numeric: [3, 4, 5, 6, 7], times: [1], class: "restores")
    return "<section><h2>Test restores</h2>\n\(table)</section>"
  }

  /// `12 tables, 2 checks`.
  static func compared(_ record: VerificationRecord) -> String {
    let tables = "\(record.tablesCompared) table\(record.tablesCompared == 1 ? "" : "s")"
    let checks = "\(record.checksRun) check\(record.checksRun == 1 ? "" : "s")"
    return "\(tables), \(checks)"
  }

  /// Why test restores failed, in the words they recorded.
  static func htmlFailures(_ data: ReportData) -> String {
    guard !data.failures.isEmpty else {
      return "<section><h2>Failures</h2><p class=\"none-yet\">No failed test restores.</p></section>"
    }
    let rows = data.failures.map { failure in
      [
        ReportHTML.code(failure.backup.rawValue), ReportHTML.escape(ReportFormat.stamp(failure.verifiedAt)),
        ReportHTML.escape(failure.kind), ReportHTML.escape(failure.subject),
        "<div class=\"detail\">\(ReportHTML.escape(failure.detail))</div>",
      ]
    }
    let table = ReportHTML.table(
      ["Backup", "Test restore (UTC)", "Kind", "Subject", "Reason"], rows, times: [1],
      class: "failures")
    return "<section><h2>Failures</h2>\n\(table)</section>"
  }

  static func htmlDrills(_ data: ReportData) -> String {
    let rows = data.drills.map {
      [ReportHTML.escape(ReportFormat.stamp($0.date)), ReportHTML.escape(ReportFormat.duration($0.rtoSeconds))]
    }
    let table = ReportHTML.table(["Date (UTC)", "RTO"], rows, numeric: [1], times: [0], class: "drills")
    return "<section><h2>Failover drills</h2>\n\(table)</section>"
  }
}
