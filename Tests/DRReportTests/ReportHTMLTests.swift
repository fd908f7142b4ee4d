import DRBackup
import DRReport
import Foundation
import Testing

extension ReportTests {
  /// `ReportRenderer.html`.
  @Suite struct HTML {
    /// A coordinate or label printed from NaN or infinity (`nan`, `-inf` as words).
    static func hasNonFinite(_ html: String) -> Bool {
      html.lowercased().split { !$0.isLetter }.contains { $0 == "nan" || $0 == "inf" || $0 == "infinity" }
    }

    @Test func wellFormedWithoutScript() {
      for data in [report(), report(maxAge: nil), empty, report(drills: [.init(date: now, rtoSeconds: 900)])] {
        let html = ReportRenderer.html(data)
        #expect(HTMLCheck.problems(html) == [])
        #expect(!html.lowercased().contains("<script"))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
      }
    }

    @Test func escapesFailureDetails() {
      let html = ReportRenderer.html(report())
      #expect(html.contains("ERROR: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; | piped"))
      #expect(!html.contains("alert(1)</script>"))
    }

    @Test func escapesThePolicyName() {
      let data = ReportData(policy: "a<b>&\"c'", backups: [], records: [], maxAge: nil, now: now)
      let html = ReportRenderer.html(data)
      #expect(html.contains("<title>Backup report: a&lt;b&gt;&amp;&quot;c&#39;</title>"))
      #expect(HTMLCheck.problems(html) == [])
    }

    @Test func selfContained() {
      let html = ReportRenderer.html(report())
      for outside in ["<link", "<img", "<iframe", "@import", "url(", "src=", "href=", "https:"] {
        #expect(!html.contains(outside), "\(outside)")
      }
      // The only address is SVG's namespace, which is never fetched.
      #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http") == false)
      #expect(html.contains("<style>"))
      #expect(html.contains("@media print"))
    }

    @Test func chartsHaveOnePointPerBackupInTheirSeries() {
      let html = ReportRenderer.html(report())
      #expect(count("<svg", in: html) == 2)
      #expect(count("data-series=\"size\"", in: html) == 5)
      #expect(count("data-series=\"restore\"", in: html) == 3)
      #expect(html.contains(">Size (GiB)</text>"))
      #expect(html.contains(">Restore time (min)</text>"))
      #expect(html.contains(">Backup start (UTC)</text>"))
      #expect(html.contains(">Nov 22</text>"))
    }

    @Test func chartsWithManyPoints() {
      let start = date("2026-01-01 02:00")
      let many = (0..<400).map { day in
        let id = BackupID.new(at: start.addingTimeInterval(Double(day) * 86_400), suffix: 1)
        return ReportBackupInput(id: id, complete: true, manifest: nil, sizeBytes: Int64(day) * 1_000_000)
      }
      let html = ReportRenderer.html(ReportData(policy: "p", backups: many, records: [], maxAge: nil, now: now))
      #expect(count("data-series=\"size\"", in: html) == 400)
      #expect(count("data-series=\"restore\"", in: html) == 0)
      #expect(html.contains("No passed test restores yet"))
      #expect(!Self.hasNonFinite(html))
      #expect(HTMLCheck.problems(html) == [])
    }

    @Test func chartWithOnePointOfZero() {
      let one = ReportBackupInput(id: id("2026-11-24 02:00"), complete: true, manifest: nil, sizeBytes: 0)
      let html = ReportRenderer.html(ReportData(policy: "p", backups: [one], records: [], maxAge: nil, now: now))
      #expect(count("data-series=\"size\"", in: html) == 1)
      #expect(!Self.hasNonFinite(html))
    }

    @Test func headlineState() {
      #expect(ReportRenderer.html(report()).contains("<section class=\"headline stale\"><p class=\"state\">STALE</p>"))
      #expect(
        ReportRenderer.html(report(maxAge: nil)).contains("<section class=\"headline fresh\"><p class=\"state\">OK</p>")
      )
      #expect(ReportRenderer.html(empty).contains("<p class=\"state\">NO VERIFIED BACKUP</p>"))
    }

    @Test func tables() {
      let html = ReportRenderer.html(report())
      #expect(count("<tr>", in: html) == (1 + 6) + (1 + 6) + (1 + 4))
      #expect(html.contains("<span class=\"badge failed\">failed</span>"))
      #expect(html.contains("<td class=\"num\">341 MiB</td>"))
      #expect(!html.contains("Failover drills"))
      let drills = ReportRenderer.html(report(drills: [.init(date: date("2026-11-24 10:00"), rtoSeconds: 1_500)]))
      #expect(drills.contains("<td class=\"when\">2026-11-24 10:00</td><td class=\"num\">25 min</td>"))
    }

    @Test func emptySaysSo() {
      let html = ReportRenderer.html(empty)
      #expect(html.contains("No backups yet."))
      #expect(html.contains("No failed test restores."))
      #expect(html.contains("there are no backups yet."))
      #expect(count("<circle", in: html) == 0)
    }
  }
}
