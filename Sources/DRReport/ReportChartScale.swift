import Foundation

/// Axis scales for the report's charts: round value ticks from zero, and date ticks at
/// round UTC steps.
enum ReportChartScale {
  /// Steps for date ticks, finest first.
  static let timeSteps: [TimeInterval] = [
    3_600, 3 * 3_600, 6 * 3_600, 12 * 3_600, 86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400,
    91 * 86_400, 182 * 86_400, 365 * 86_400,
  ]

  /// The dates the charts span: every point with a margin, or a day around a lone time.
  static func domain(_ series: [[ReportPoint]]) -> ClosedRange<Date>? {
    let dates = series.flatMap { $0.map(\.date) }
    guard let low = dates.min(), let high = dates.max() else { return nil }
    let span = high.timeIntervalSince(low)
    if span < 3_600 {
      let middle = low.addingTimeInterval(span / 2)
      return middle.addingTimeInterval(-43_200)...middle.addingTimeInterval(43_200)
    }
    return low.addingTimeInterval(-span * 0.04)...high.addingTimeInterval(span * 0.04)
  }

  /// Date ticks inside `domain`, at most `limit` of them, and their step.
  static func timeTicks(_ domain: ClosedRange<Date>, limit: Int = 5) -> (ticks: [Date], step: TimeInterval) {
    let low = domain.lowerBound.timeIntervalSince1970
    let high = domain.upperBound.timeIntervalSince1970
    let step = timeSteps.first { (high - low) / $0 <= Double(limit) } ?? (high - low) / Double(limit)
    var ticks: [Date] = []
    var tick = (low / step).rounded(.up) * step
    while tick <= high, ticks.count <= limit {
      ticks.append(Date(timeIntervalSince1970: tick))
      tick += step
    }
    return (ticks, step)
  }

  /// Round ticks from zero up to at least `maximum` (about four steps): `0, 250, 500, 750, 1000`.
  static func valueTicks(upTo maximum: Double) -> [Double] {
    let top = maximum > 0 && maximum.isFinite ? maximum : 1
    let raw = top / 4
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let normal = raw / magnitude
    let step = magnitude * (normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 2.5 ? 2.5 : normal <= 5 ? 5 : 10)
    let count = Int((top / step - 1e-9).rounded(.up))
    return (0...max(1, count)).map { Double($0) * step }
  }

  /// The unit a value axis shows: its size in base units and its name.
  static func unit(_ axis: ReportChart.Axis, maximum: Double) -> (size: Double, name: String) {
    switch axis {
    case .bytes:
      let unit = ReportFormat.byteUnit(for: maximum)
      return (unit.0, unit.1)
    case .seconds:
      if maximum < 120 { return (1, "s") }
      if maximum < 7_200 { return (60, "min") }
      return (3_600, "h")
    }
  }
}
