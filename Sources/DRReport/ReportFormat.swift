import DRBackup
import Foundation

/// Numbers, sizes, durations and times as the reports write them (UTC, no locale).
enum ReportFormat {
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// `1.4 GiB`, `512 B`.
  static func bytes(_ count: Int64) -> String {
    let (value, unit) = byteUnit(for: Double(count))
    if unit == "B" { return "\(count) B" }
    return number(Double(count) / value, decimals: Double(count) / value < 100 ? 1 : 0) + " " + unit
  }

  /// The binary unit that fits `count`: its size and name.
  static func byteUnit(for count: Double) -> (Double, String) {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var size = 1.0
    for unit in units.dropLast() {
      if abs(count) < size * 1_024 { return (size, unit) }
      size *= 1_024
    }
    return (size, "PiB")
  }

  /// `0.4 s`, `42 s`, `3 min 5 s`, `26 h 5 min`, `3 d 4 h`: hours up to two days.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    if seconds < 10 { return number(seconds, decimals: 1) + " s" }
    let total = Int(seconds.rounded())
    let (days, minutes, secs) = (total / 86_400, total % 3_600 / 60, total % 60)
    let hours = total < 172_800 ? total / 3_600 : total % 86_400 / 3_600
    if total < 60 { return "\(total) s" }
    if total < 3_600 { return secs == 0 ? "\(minutes) min" : "\(minutes) min \(secs) s" }
    if total < 172_800 { return minutes == 0 ? "\(hours) h" : "\(hours) h \(minutes) min" }
    return hours == 0 ? "\(days) d" : "\(days) d \(hours) h"
  }

  /// `2026-11-24 22:19 UTC`.
  static func time(_ date: Date) -> String { stamp(date) + " UTC" }

  /// `2026-11-24 22:19`, in UTC: for table columns whose header says so.
  static func stamp(_ date: Date) -> String {
    let parts = utcParts(date)
    return "\(parts.year)-\(pad(parts.month))-\(pad(parts.day)) \(pad(parts.hour)):\(pad(parts.minute))"
  }

  /// `2026-11-24T22:19:00.000Z`, as the bucket's JSON writes times.
  static func iso(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }

  /// A chart's date tick: `Nov 24 06:00`, `Nov 24` or `2026-11-24`, finer steps first.
  static func tick(_ date: Date, step: TimeInterval) -> String {
    let parts = utcParts(date)
    let day = months[parts.month - 1] + " \(parts.day)"
    if step < 86_400 { return day + " \(pad(parts.hour)):\(pad(parts.minute))" }
    if step < 30 * 86_400 { return day }
    return "\(parts.year)-\(pad(parts.month))-\(pad(parts.day))"
  }

  /// At most `decimals` decimals, trailing zeros dropped: `1.5`, `2`, `0.25`.
  static func number(_ value: Double, decimals: Int) -> String {
    var text = String(format: "%.\(decimals)f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }

  /// A percentage change, `+16%` or `-3%`; nil from zero.
  static func change(from old: Double, to new: Double) -> String? {
    guard old != 0 else { return nil }
    let percent = ((new - old) / old * 100).rounded()
    return (percent >= 0 ? "+" : "") + number(percent, decimals: 0) + "%"
  }

  private static func utcParts(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
    let parts = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return (parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0)
  }

  private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
