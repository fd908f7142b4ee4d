import DRBackup
import DRReport
import Foundation
import Testing

extension ReportTests {
  /// `ReportRenderer.markdown`.
  @Suite struct Markdown {
    @Test func headlineComesFirstAndSaysStale() throws {
      let text = ReportRenderer.markdown(report())
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      #expect(lines[0] == "# Backup report: orders")
      #expect(lines[2] == "Generated 2026-11-25 12:00 UTC · all backups · verify.max_age 26 h")
      #expect(
        lines[4]
          == "> **STALE**: The latest verified backup, `20261122T020000Z-00a1`, is 3 d 10 h old: older than "
          + "max_age 26 h.")
      let backups = try #require(text.range(of: "## Backups"))
      #expect(try #require(text.range(of: "STALE")).lowerBound < backups.lowerBound)
    }

    @Test func freshHeadlineNamesTheBackupAndItsAge() {
      let text = ReportRenderer.markdown(report(maxAge: 4 * 86_400))
      #expect(
        text.contains(
          "**Latest verified backup: `20261122T020000Z-00a1`, taken 2026-11-22 02:00 UTC, 3 d 10 h ago "
            + "(max_age 4 d).**"))
      #expect(!text.contains("STALE"))
    }

    @Test func oneRowPerBackupNewestFirst() {
      let text = ReportRenderer.markdown(report())
      let rows = [
        "| `20261125T020000Z-00a1` | 2026-11-25 02:00 | 341 MiB | – | – | incomplete |",
        "| `20261124T020000Z-00a1` | 2026-11-24 02:00 | 1.2 GiB | 20 min | – | not verified |",
        "| `20261123T020000Z-00a1` | 2026-11-23 02:00 | 1.1 GiB | 20 min | 11 min 40 s | **FAILED** |",
        "| `20261122T020000Z-00a1` | 2026-11-22 02:00 | 1.1 GiB | 20 min | 11 min | passed |",
        "| `20261121T020000Z-00a1` | 2026-11-21 02:00 | 1 GiB | 20 min | 5 min | **FAILED** |",
        "| `20261120T020000Z-00a1` | 2026-11-20 02:00 | 1 GiB | 20 min | 10 min | passed |",
      ]
      #expect(text.contains(rows.joined(separator: "\n")))
      #expect(text.contains("| 6 | 2 | 2 | 1 | 1 |"))
    }

    @Test func everyTestRestoreHasARowWithItsPhases() {
      let text = ReportRenderer.markdown(report())
      #expect(
        text.contains(
          "| `20261122T020000Z-00a1` | 2026-11-23 08:00 | passed | 1 min | 30 s | 9 min 30 s | 20 s | 11 min 20 s |\n"
            + "| `20261122T020000Z-00a1` | 2026-11-22 06:00 | failed | 1 min | 30 s | 10 s | 20 s | 2 min |"))
      #expect(count("| `2026", in: text) == 6 + 6 + 4)
    }

    @Test func failuresListTheirReasonsSafely() {
      let text = ReportRenderer.markdown(report())
      #expect(text.contains("## Failures"))
      #expect(
        text.contains(
          "| `20261121T020000Z-00a1` | 2026-11-21 06:00 | row_count | sales.orders | "
            + "`2000 rows in the manifest, 1999 restored` |"))
      // In a code span: shown as written, the pipe escaped so the table holds.
      #expect(text.contains("| check | orders_total | `ERROR: <script>alert(1)</script> & \"quoted\" \\| piped` |"))
      #expect(text.contains("| unknown | – | `the test restore failed without recording a reason` |"))
    }

    @Test func trendsInWords() {
      let text = ReportRenderer.markdown(report())
      #expect(text.contains("- Backup size: 1 GiB → 1.2 GiB (+20%) over 5 backups."))
      #expect(
        text.contains("- Restore time: latest 12 min, fastest 10 min, slowest 12 min over 3 passed test restores."))
    }

    @Test func drillsOnlyWhenThereAreSome() {
      #expect(!ReportRenderer.markdown(report()).contains("drill"))
      let text = ReportRenderer.markdown(
        report(drills: [ReportDrill(date: date("2026-11-24 10:00"), rtoSeconds: 1_500)]))
      #expect(text.contains("## Failover drills\n\n| Date (UTC) | RTO |\n|---|---:|\n| 2026-11-24 10:00 | 25 min |"))
    }

    @Test func noBackupsSaysSo() {
      let text = ReportRenderer.markdown(empty)
      #expect(
        text.contains(
          "> **NO VERIFIED BACKUP**: No backup of this policy has passed a test restore: there are no "
            + "backups yet."))
      #expect(text.contains("## Backups\n\nNo backups.\n"))
      #expect(text.contains("No failed test restores."))
      #expect(!text.contains("## Trends"))
      let since = ReportData(
        policy: "orders", backups: backups, records: records, maxAge: nil, since: date("2026-11-25 06:00"), now: now)
      #expect(ReportRenderer.markdown(since).contains("No backups since 2026-11-25 06:00 UTC."))
    }
  }
}
