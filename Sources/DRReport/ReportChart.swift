import Foundation

/// One series over time as an inline SVG line chart: no script, no external resource.
/// Every point is a `circle` with `data-series` and a tooltip `title`.
struct ReportChart {
  enum Axis { case bytes, seconds }

  static let width = 560.0
  static let height = 250.0
  static let left = 64.0
  static let right = 20.0
  static let top = 14.0
  static let bottom = 50.0
  static var plotWidth: Double { width - left - right }
  static var plotHeight: Double { height - top - bottom }

  var title: String
  /// Names the series in markup: `data-series` of the points, a CSS class.
  var series: String
  var quantity: String
  var axis: Axis
  var points: [ReportPoint]
  /// Shared by the charts so their dates line up; nil when no chart has a point.
  var domain: ClosedRange<Date>?
  var emptyText: String

  func svg() -> String {
    let maximum = points.map(\.value).max() ?? 0
    let unit = ReportChartScale.unit(axis, maximum: maximum)
    // Some room above the highest point, and no value ticks without points.
    let ticks = points.isEmpty ? [] : ReportChartScale.valueTicks(upTo: maximum / unit.size * 1.08)
    let yTop = (ticks.last ?? 1) * unit.size
    var parts = [
      "<svg class=\"chart \(series)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(Self.width)) "
        + "\(Int(Self.height))\" role=\"img\"><title>\(ReportHTML.escape(title))</title>"
    ]
    parts += ticks.map { yTick($0, unit: unit, yTop: yTop) }
    parts.append(frame(label: points.isEmpty ? quantity : "\(quantity) (\(unit.name))"))
    if let domain, !points.isEmpty {
      parts += xTicks(domain)
      parts.append(line(domain, yTop: yTop))
      parts += points.map { point($0, domain: domain, yTop: yTop) }
    } else {
      parts.append(
        "<text class=\"empty\" x=\"\(f(Self.left + Self.plotWidth / 2))\" y=\"\(f(Self.top + Self.plotHeight / 2))\" "
          + "text-anchor=\"middle\">\(ReportHTML.escape(emptyText))</text>")
    }
    parts.append("</svg>")
    return parts.joined(separator: "\n")
  }

  private func x(_ date: Date, _ domain: ClosedRange<Date>) -> Double {
    let span = domain.upperBound.timeIntervalSince(domain.lowerBound)
    return Self.left + date.timeIntervalSince(domain.lowerBound) / max(span, 1) * Self.plotWidth
  }

  private func y(_ value: Double, yTop: Double) -> Double {
    Self.top + Self.plotHeight - value / max(yTop, .leastNonzeroMagnitude) * Self.plotHeight
  }

  private func yTick(_ tick: Double, unit: (size: Double, name: String), yTop: Double) -> String {
    let position = f(y(tick * unit.size, yTop: yTop))
    return "<line class=\"grid\" x1=\"\(f(Self.left))\" y1=\"\(position)\" x2=\"\(f(Self.width - Self.right))\" "
      + "y2=\"\(position)\"/><text class=\"tick\" x=\"\(f(Self.left - 6))\" y=\"\(position)\" text-anchor=\"end\" "
      + "dominant-baseline=\"middle\">\(ReportFormat.number(tick, decimals: 2))</text>"
  }

  private func frame(label: String) -> String {
    let bottom = f(Self.top + Self.plotHeight)
    let middle = f(Self.top + Self.plotHeight / 2)
    return "<line class=\"axis\" x1=\"\(f(Self.left))\" y1=\"\(f(Self.top))\" x2=\"\(f(Self.left))\" y2=\"\(bottom)\"/>"
      + "<line class=\"axis\" x1=\"\(f(Self.left))\" y1=\"\(bottom)\" x2=\"\(f(Self.width - Self.right))\" "
      + "y2=\"\(bottom)\"/><text class=\"label\" transform=\"translate(16 \(middle)) rotate(-90)\" "
      + "text-anchor=\"middle\">\(ReportHTML.escape(label))</text><text class=\"label\" "
      + "x=\"\(f(Self.left + Self.plotWidth / 2))\" y=\"\(f(Self.height - 6))\" text-anchor=\"middle\">"
      + "Backup start (UTC)</text>"
  }

  private func xTicks(_ domain: ClosedRange<Date>) -> [String] {
    let (ticks, step) = ReportChartScale.timeTicks(domain)
    let bottom = Self.top + Self.plotHeight
    return ticks.map { tick in
      let position = f(x(tick, domain))
      return "<line class=\"axis\" x1=\"\(position)\" y1=\"\(f(bottom))\" x2=\"\(position)\" y2=\"\(f(bottom + 5))\"/>"
        + "<text class=\"tick\" x=\"\(position)\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\">"
        + "\(ReportHTML.escape(ReportFormat.tick(tick, step: step)))</text>"
    }
  }

  private func line(_ domain: ClosedRange<Date>, yTop: Double) -> String {
    let coordinates = points.map { "\(f(x($0.date, domain))),\(f(y($0.value, yTop: yTop)))" }
    return "<polyline class=\"line\" points=\"\(coordinates.joined(separator: " "))\"/>"
  }

  private func point(_ point: ReportPoint, domain: ClosedRange<Date>, yTop: Double) -> String {
    let value = axis == .bytes ? ReportFormat.bytes(Int64(point.value)) : ReportFormat.duration(point.value)
    let tip = "\(point.label) · \(ReportFormat.time(point.date)) · \(value)"
    return "<circle class=\"point\" data-series=\"\(series)\" cx=\"\(f(x(point.date, domain)))\" "
      + "cy=\"\(f(y(point.value, yTop: yTop)))\" r=\"\(points.count > 60 ? 2 : 3.5)\">"
      + "<title>\(ReportHTML.escape(tip))</title></circle>"
  }

  private func f(_ value: Double) -> String { ReportFormat.number(value, decimals: 1) }
}
