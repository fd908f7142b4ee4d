import Foundation
import Testing

@testable import DRReport

extension ReportTests {
  /// Sizes, durations and chart scales.
  @Suite struct Format {
    @Test func bytes() {
      #expect(ReportFormat.bytes(0) == "0 B")
      #expect(ReportFormat.bytes(1_023) == "1023 B")
      #expect(ReportFormat.bytes(1_536) == "1.5 KiB")
      #expect(ReportFormat.bytes(150 * 1_048_576) == "150 MiB")
      #expect(ReportFormat.bytes(gib) == "1 GiB")
      #expect(ReportFormat.bytes(3 * 1_024 * gib + gib * 1_024 * 3 / 10) == "3.3 TiB")
    }

    @Test func durations() {
      #expect(ReportFormat.duration(0.42) == "0.4 s")
      #expect(ReportFormat.duration(42) == "42 s")
      #expect(ReportFormat.duration(185) == "3 min 5 s")
      #expect(ReportFormat.duration(600) == "10 min")
      #expect(ReportFormat.duration(26 * 3_600) == "26 h")
      #expect(ReportFormat.duration(26 * 3_600 + 300) == "26 h 5 min")
      #expect(ReportFormat.duration(3 * 86_400 + 4 * 3_600 + 59) == "3 d 4 h")
      #expect(ReportFormat.duration(.nan) == "?")
    }

    @Test func valueTicksStartAtZeroAndReachTheTop() {
      #expect(ReportChartScale.valueTicks(upTo: 900) == [0, 250, 500, 750, 1_000])
      #expect(ReportChartScale.valueTicks(upTo: 1.08) == [0, 0.5, 1, 1.5])
      #expect(ReportChartScale.valueTicks(upTo: 0) == [0, 0.25, 0.5, 0.75, 1])
      #expect(ReportChartScale.valueTicks(upTo: 13) == [0, 5, 10, 15])
    }

    @Test func timeTicksStayInsideTheDomain() throws {
      let month = try #require(
        ReportChartScale.domain([
          [date("2026-10-27 02:00"), date("2026-11-25 02:00")].map {
            ReportPoint(date: $0, value: 1, label: "")
          }
        ]))
      let (ticks, step) = ReportChartScale.timeTicks(month)
      #expect(step == 7 * 86_400)
      #expect((2...5).contains(ticks.count))
      #expect(ticks.allSatisfy { month.contains($0) })
      #expect(ReportFormat.tick(date("2026-11-19 00:00"), step: step) == "Nov 19")
    }

    @Test func aLoneTimeSpansADay() throws {
      let one = try #require(ReportChartScale.domain([[ReportPoint(date: now, value: 1, label: "")]]))
      #expect(one.upperBound.timeIntervalSince(one.lowerBound) == 86_400)
      #expect(one.contains(now))
      #expect(ReportChartScale.domain([[], []]) == nil)
      #expect(ReportFormat.tick(date("2026-11-24 06:00"), step: 6 * 3_600) == "Nov 24 06:00")
    }

    @Test func markdownEscapes() {
      #expect(ReportRenderer.markdownText("pg_restore") == "pg_restore")
      #expect(ReportRenderer.markdownText("_x_ a|b <c>") == "\\_x\\_ a\\|b \\<c\\>")
      #expect(ReportRenderer.markdownText("") == "–")
      #expect(ReportRenderer.markdownCode("a `b` c") == "``a `b` c``")
      #expect(ReportRenderer.markdownCode("`x`") == "`` `x` ``")
      #expect(ReportRenderer.markdownCode("line\nnext") == "`line next`")
    }
  }
}
