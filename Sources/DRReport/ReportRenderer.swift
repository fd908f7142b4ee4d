import DRBackup
import Foundation

/// `dr report`'s three forms of one `ReportData`: Markdown for people in a terminal or a
/// ticket, one self-contained HTML file, and JSON for machines.
public enum ReportRenderer {
  /// The headline's words for each state.
  static func headlineTitle(_ data: ReportData) -> String {
    switch data.freshness {
    case .fresh: "OK"
    case .stale: "STALE"
    case .noVerifiedBackup: "NO VERIFIED BACKUP"
    }
  }

  /// One sentence on the newest verified backup and its age against max_age; the ID is
  /// passed in already formatted (code span, HTML element).
  static func headlineText(_ data: ReportData, id: (String) -> String) -> String {
    let limit = data.maxAge.map { "max_age \(ReportFormat.duration($0))" }
    guard let latest = data.latestVerified else {
      return "No backup of this policy has passed a test restore"
        + (data.counts.backups == 0 && data.since == nil ? ": there are no backups yet." : ".")
    }
    let age = ReportFormat.duration(latest.ageSeconds)
    let taken = "taken \(ReportFormat.time(latest.startedAt)), \(age) ago"
    switch data.freshness {
    case .stale:
      return "The latest verified backup, \(id(latest.id.rawValue)), is \(age) old: older than \(limit ?? "max_age")."
    default:
      return "Latest verified backup: \(id(latest.id.rawValue)), \(taken)" + (limit.map { " (\($0))." } ?? ".")
    }
  }

  /// What the report covers: `since` and max_age.
  static func scope(_ data: ReportData) -> String {
    var parts = ["Generated \(ReportFormat.time(data.generatedAt))"]
    parts.append(data.since.map { "backups since \(ReportFormat.time($0))" } ?? "all backups")
    parts.append(data.maxAge.map { "verify.max_age \(ReportFormat.duration($0))" } ?? "no verify.max_age")
    return parts.joined(separator: " · ")
  }

  /// Size and restore time, first to latest, in words (Markdown has no charts).
  static func trendSummary(_ trends: ReportTrends) -> [String] {
    var lines: [String] = []
    if trends.backupSize.count == 1, let only = trends.backupSize.first {
      lines.append("Backup size: \(ReportFormat.bytes(Int64(only.value))) (one backup).")
    } else if let first = trends.backupSize.first, let last = trends.backupSize.last {
      let change = ReportFormat.change(from: first.value, to: last.value).map { " (\($0))" } ?? ""
      lines.append(
        "Backup size: \(ReportFormat.bytes(Int64(first.value))) → \(ReportFormat.bytes(Int64(last.value)))"
          + "\(change) over \(trends.backupSize.count) backups.")
    }
    let restores = trends.restoreSeconds.map(\.value)
    if restores.count == 1, let only = restores.first {
      lines.append("Restore time: \(ReportFormat.duration(only)) (one passed test restore).")
    } else if let last = restores.last, let low = restores.min(), let high = restores.max() {
      lines.append(
        "Restore time: latest \(ReportFormat.duration(last)), fastest \(ReportFormat.duration(low)), "
          + "slowest \(ReportFormat.duration(high)) over \(restores.count) passed test restores.")
    }
    return lines
  }
}
