import DRCore
import DRPostgres

extension PartialPlan {
  /// A name the archive does not have, with the archive's names that come closest.
  public struct Unknown: Sendable, Equatable {
    public let name: String
    public let kind: String
    public let closest: [String]

    public var message: String {
      "no \(kind) \(name.escapingControlCharacters) in the backup"
        + (closest.isEmpty ? "" : " (closest: \(closest.map(\.escapingControlCharacters).joined(separator: ", ")))")
    }
  }

  /// The request's schemas and tables that `toc` lacks, each with close matches (or, when
  /// none is close, the first names the backup has).
  public static func unknownNames(_ toc: ArchiveTOC, _ request: PartialRequest) -> [Unknown] {
    let tables = toc.entries.filter { relationKinds.contains($0.desc) && $0.namespace != nil }.map(\.name)
    var schemas = Set(toc.entries.compactMap(\.namespace))
    schemas.formUnion(toc.entries.filter { $0.desc == "SCHEMA" }.map(\.tag))
    var unknown: [Unknown] = []
    for table in request.tables where !tables.contains(table.description) {
      unknown.append(.init(name: table.description, kind: "table", closest: closest(to: table.description, in: tables)))
    }
    for schema in request.schemas where !schemas.contains(schema) {
      unknown.append(.init(name: schema, kind: "schema", closest: closest(to: schema, in: Array(schemas))))
    }
    return unknown
  }

  /// Names within a few edits of `name` (or equal but for case, or with the same last
  /// part), nearest first; else the first ten names.
  static func closest(to name: String, in names: [String]) -> [String] {
    let lowered = name.lowercased()
    let last = lowered.split(separator: ".").last.map(String.init) ?? lowered
    let scored = names.map { candidate -> (String, Int) in
      let other = candidate.lowercased()
      let sameLast = other.split(separator: ".").last.map(String.init) == last
      return (candidate, sameLast ? 0 : distance(lowered, other))
    }
    let limit = max(2, lowered.count / 3)
    let near = scored.filter { $0.1 <= limit }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    return Array((near.isEmpty ? names.sorted() : near).prefix(10))
  }

  /// Levenshtein distance over characters.
  static func distance(_ left: String, _ right: String) -> Int {
    let a = Array(left)
    let b = Array(right)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for (i, ca) in a.enumerated() {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for (j, cb) in b.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
