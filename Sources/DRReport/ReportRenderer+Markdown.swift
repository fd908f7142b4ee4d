import DRBackup
import Foundation

extension ReportRenderer {
  /// Readable as plain text and as rendered Markdown: the headline first, then counts,
  /// trends in words, one table row per backup and per test restore, and the failures.
  public static func markdown(_ data: ReportData) -> String {
    var lines = ["# Backup report: \(markdownText(data.policy))", "", scope(data), ""]
    let headline = headlineText(data) { markdownCode($0) }
    lines.append(data.freshness == .fresh ? "**\(headline)**" : "> **\(headlineTitle(data))**: \(headline)")
    lines += ["", "| Backups | Verified | Failed | Unverified | Incomplete |", "|---:|---:|---:|---:|---:|"]
    let counts = data.counts
    lines.append(
      "| \(counts.backups) | \(counts.verified) | \(counts.failed) | \(counts.unverified) | \(counts.incomplete) |")
    let trends = trendSummary(data.trends)
    if !trends.isEmpty { lines += ["", "## Trends", ""] + trends.map { "- \($0)" } }
    lines += ["", "## Backups", ""] + markdownBackups(data)
    if counts.verifications > 0 { lines += ["", "## Test restores", ""] + markdownRestores(data) }
    lines += ["", "## Failures", ""] + markdownFailures(data)
    if !data.drills.isEmpty {
      lines += ["", "## Failover drills", "", "| Date (UTC) | RTO |", "|---|---:|"]
      lines += data.drills.map { "| \(ReportFormat.stamp($0.date)) | \(ReportFormat.duration($0.rtoSeconds)) |" }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func markdownBackups(_ data: ReportData) -> [String] {
    guard !data.backups.isEmpty else {
      return [data.since.map { "No backups since \(ReportFormat.time($0))." } ?? "No backups."]
    }
    var lines = ["| ID | Started (UTC) | Size | Took | Restore time | Outcome |", "|---|---|---:|---:|---:|---|"]
    for backup in data.backups {
      let cells = [
        markdownCode(backup.id.rawValue), ReportFormat.stamp(backup.startedAt), ReportFormat.bytes(backup.sizeBytes),
        backup.durationSeconds.map(ReportFormat.duration) ?? "–",
        backup.latest.map { ReportFormat.duration($0.restoreSeconds) } ?? "–", outcomeText(backup),
      ]
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    return lines
  }

  static func markdownRestores(_ data: ReportData) -> [String] {
    var lines = [
      "| Backup | Ran at (UTC) | Outcome | Download | Decompress | Restore | Checks | Total |",
      "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for backup in data.backups {
      for verification in backup.verifications {
        let phases = verification.record.phases
        let cells =
          [
            markdownCode(backup.id.rawValue), ReportFormat.stamp(verification.startedAt),
            verification.outcome.rawValue,
          ]
          + [phases.download, phases.decompress, phases.restore, phases.checks, verification.durationSeconds]
          .map(ReportFormat.duration)
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
    }
    return lines
  }

  static func markdownFailures(_ data: ReportData) -> [String] {
    guard !data.failures.isEmpty else { return ["No failed test restores."] }
    var lines = ["| Backup | Test restore (UTC) | Kind | Subject | Reason |", "|---|---|---|---|---|"]
    for failure in data.failures {
      let cells = [
        markdownCode(failure.backup.rawValue), ReportFormat.stamp(failure.verifiedAt), markdownText(failure.kind),
        markdownText(failure.subject), markdownCode(failure.detail),
      ]
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    return lines
  }

  static func outcomeText(_ backup: ReportBackup) -> String {
    switch backup.status {
    case .passed: "passed"
    case .failed: "**FAILED**"
    case .unverified: "not verified"
    case .incomplete: "incomplete"
    }
  }

  /// Text in a table cell: one line, Markdown's and HTML's special characters escaped
  /// (`_` only where it could start or end emphasis, so `pg_restore` stays readable).
  /// Empty text is a dash.
  static func markdownText(_ text: String) -> String {
    let characters = Array(oneLine(text))
    guard !characters.isEmpty else { return "–" }
    var result = ""
    for (index, character) in characters.enumerated() {
      let inWord =
        index > 0 && index + 1 < characters.count && characters[index - 1].isLetterOrDigit
        && characters[index + 1].isLetterOrDigit
      if "\\`*[]<>|#".contains(character) || (character == "_" && !inWord) { result.append("\\") }
      result.append(character)
    }
    return result
  }

  /// A code span that holds any text: fenced by more backticks than it contains, pipes
  /// escaped for tables. Empty text is a dash.
  static func markdownCode(_ text: String) -> String {
    let line = oneLine(text)
    guard !line.isEmpty else { return "–" }
    var longest = 0
    var run = 0
    for character in line {
      run = character == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: longest + 1)
    let padding = line.hasPrefix("`") || line.hasSuffix("`") ? " " : ""
    return fence + padding + line.replacingOccurrences(of: "|", with: "\\|") + padding + fence
  }

  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
  }
}

extension Character {
  fileprivate var isLetterOrDigit: Bool { isLetter || isNumber }
}
