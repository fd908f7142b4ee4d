import Foundation

/// Which published reports (`NAME/reports/report-STAMP.EXT`, written by `dr report
/// --publish`) `dr prune` keeps: the policy's retention rule applied to the reports' times,
/// as to backups' (each publish time one candidate, whatever its formats), and always the
/// newest one and every `latest.EXT`. Pure: the caller lists and deletes.
///
/// Nothing is destroyed on uncertainty: a key under `reports/` that is not one dr writes
/// (another tool's, a hand-made one, a name cut short) may mean the listing is not what
/// the rule was written for, so then every report is kept and the key is named.
public enum ReportRetention {
  public struct Plan: Sendable, Equatable {
    public var kept: [String]
    public var removed: [String]
    /// Keys that are not a report dr writes: when any, nothing is removed.
    public var unparsed: [String]
  }

  static let formats: Set<String> = ["md", "html", "json"]

  /// `keys` are full object keys under `prefix` (the policy's `reports/`).
  public static func plan(keys: [String], prefix: String, rule: RetentionRule?) -> Plan {
    var dated: [BackupID: [String]] = [:]
    var kept: [String] = []
    var unparsed: [String] = []
    for key in keys {
      let name = key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key
      if isLatest(name) {
        kept.append(key)
      } else if let stamp = stamp(of: name) {
        dated[stamp, default: []].append(key)
      } else {
        unparsed.append(key)
      }
    }
    guard unparsed.isEmpty, let rule else {
      return Plan(kept: keys, removed: [], unparsed: unparsed)
    }
    let newestFirst = dated.keys.sorted(by: >)
    let reasons = rule.reasons(
      newestFirst: newestFirst.map { RetentionCandidate(id: $0, complete: true, verified: true) })
    var removed: [String] = []
    for (index, stamp) in newestFirst.enumerated() {
      let keep = index == 0 || reasons[stamp] != nil
      if keep { kept += dated[stamp]! } else { removed += dated[stamp]! }
    }
    return Plan(kept: kept.sorted(), removed: removed.sorted(), unparsed: [])
  }

  /// The name a report published at `date` gets: `report-20261124T221900Z.md` (UTC, second
  /// precision), the form `plan` reads back.
  public static func name(publishedAt date: Date, fileExtension: String) -> String {
    "report-\(BackupID.format(date)).\(fileExtension)"
  }

  static func isLatest(_ name: String) -> Bool {
    name.hasPrefix("latest.") && formats.contains(String(name.dropFirst("latest.".count)))
  }

  /// `report-20261124T221900Z.md` → its time, as an ID of that second (the reports of one
  /// second are one candidate).
  static func stamp(of name: String) -> BackupID? {
    guard name.hasPrefix("report-"), let dot = name.lastIndex(of: ".") else { return nil }
    let stamp = name[name.index(name.startIndex, offsetBy: "report-".count)..<dot]
    guard formats.contains(String(name[name.index(after: dot)...])) else { return nil }
    return BackupID(stamp + "-0000")
  }
}
