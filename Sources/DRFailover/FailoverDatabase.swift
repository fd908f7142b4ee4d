import DRBackup
import Foundation

/// What a failover's database holds before its restore (issue 15): nothing (absent), or
/// some user objects and a comment, where dr leaves its marker once a restore committed
/// and its row counts matched. Found by the same probe with both drivers (`probeQuery`,
/// run in the database itself; a database that does not exist is absent).
public enum DatabaseContents: Sendable, Equatable {
  case absent
  case present(objects: Int, comment: String?)

  /// The comment dr sets on the database it restored, once the counts matched.
  public static func marker(_ backup: String) -> String { markerPrefix + backup }

  static let markerPrefix = "dr failover restore of "

  /// The backup dr's marker names (nil when there is no marker, or the comment is
  /// anything else: a comment that only looks like one is not dr's).
  public var markedBackup: String? {
    guard case .present(_, let comment?) = self, comment.hasPrefix(Self.markerPrefix) else { return nil }
    return BackupID(String(comment.dropFirst(Self.markerPrefix.count)))?.rawValue
  }

  /// One row, `dr-probe`, the number of user objects and the database's comment (empty
  /// when it has none, line breaks as spaces). User objects: relations (tables, views,
  /// sequences, foreign tables, composite types), routines, domains, enums and ranges, in
  /// every schema but the system ones; schemas but `public`; large objects. What an
  /// extension made is not counted. An interrupted restore (one transaction) leaves none.
  /// No `"`, `$`, backslash or `!`: it survives the local and the remote shell quoting.
  public static let probeQuery =
    "SELECT 'dr-probe', "
    + "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND \(userSchema) AND \(notExtension("pg_class", "c.oid"))) "
    + "+ (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    + "WHERE \(userSchema) AND \(notExtension("pg_proc", "p.oid"))) "
    + "+ (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
    + "WHERE t.typtype IN ('d', 'e', 'r') AND \(userSchema) AND \(notExtension("pg_type", "t.oid"))) "
    + "+ (SELECT count(*) FROM pg_namespace n WHERE \(userSchema) AND n.nspname <> 'public' "
    + "AND \(notExtension("pg_namespace", "n.oid"))) "
    + "+ (SELECT count(*) FROM pg_largeobject_metadata), "
    + "coalesce(translate(shobj_description(d.oid, 'pg_database'), chr(10) || chr(13), '  '), '') "
    + "FROM pg_database d WHERE d.datname = current_database()"

  private static let userSchema = "n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'"

  private static func notExtension(_ catalog: String, _ oid: String) -> String {
    "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '\(catalog)'::regclass "
      + "AND e.objid = \(oid) AND e.deptype = 'e')"
  }

  /// The probe's row as its three fields; nil for anything else.
  public init?(fields: [String?]) {
    guard fields.count == 3, fields[0] == "dr-probe", let text = fields[1], let objects = Int(text), objects >= 0
    else { return nil }
    let comment = fields[2] ?? ""
    self = .present(objects: objects, comment: comment.isEmpty ? nil : comment)
  }

  /// The probe's output from `psql -At`: exactly one `dr-probe|N|comment` line (a comment
  /// may hold `|`); nil for anything else.
  public init?(psqlOutput: String) {
    let lines = psqlOutput.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("dr-probe|") }
    guard lines.count == 1 else { return nil }
    let fields = lines[0].split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    self.init(fields: fields)
  }

  /// For people: `absent`, `empty`, `backup X (restored by dr), N objects`, `N objects`.
  public var summary: String {
    switch self {
    case .absent: return "absent"
    case .present(let objects, _) where objects == 0 && markedBackup == nil: return "empty"
    case .present(let objects, _):
      return markedBackup.map { "backup \($0) (restored by dr), \(objects) objects" } ?? "\(objects) objects"
    }
  }
}
