import DRPostgres

/// Which entries of an archive a partial restore passes to `pg_restore -L`, worked out from
/// the TOC's dependencies alone (a value; no I/O):
///
/// - the *selected* objects: the named tables (and views, sequences), or every object of a
///   named schema;
/// - what is *attached* to them: any entry of an attached kind (data, index, constraint,
///   trigger, default, comment, grant, owned sequence and its value, rule, policy…) whose
///   dependencies are all restored or can be brought along; one that depends on something
///   that cannot (a foreign key to a table not restored) is *left out*, and said; the
///   comments, grants and values of the needed objects brought along come with them too;
/// - what they *need*: the schemas, types, functions, sequences, collations and extensions
///   they depend on, restored only when the target lacks them (else the target's are used).
///
/// Sequences owned by a selected table (serial, identity) are selected with it, and so are
/// its partitions.
public struct PartialPlan: Sendable {
  /// The entries to restore, in the archive's order.
  public let entries: [ArchiveTOC.Entry]
  /// The selected tables (`TABLE` entries): their row counts are compared.
  public let tables: [ArchiveTOC.Entry]
  /// Restored objects the target has already: the restore is refused.
  public let conflicts: [ArchiveTOC.Entry]
  /// Entries left out, each with the names of what they need and is not restored.
  public let leftOut: [LeftOut]
  /// Needed objects the target has: used as they are.
  public let reused: [ArchiveTOC.Entry]

  public struct LeftOut: Sendable, Equatable {
    public let entry: ArchiveTOC.Entry
    public let needs: [String]

    public var message: String {
      "\(entry.described) left out: it needs \(needs.joined(separator: ", ")), not restored"
    }
  }

  static let relationKinds: Set<String> = ["TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "SEQUENCE"]
  static let attachedKinds: Set<String> = [
    "TABLE DATA", "INDEX", "CONSTRAINT", "FK CONSTRAINT", "CHECK CONSTRAINT", "TRIGGER", "DEFAULT", "COMMENT",
    "ACL", "SEQUENCE OWNED BY", "SEQUENCE SET", "SEQUENCE", "RULE", "POLICY", "ROW SECURITY", "STATISTICS",
    "STATISTICS DATA",
    "SECURITY LABEL", "INDEX ATTACH", "TABLE ATTACH", "MATERIALIZED VIEW DATA",
  ]
  /// Tables that depend on a selected table: its partitions (and inheritance children),
  /// selected with it so that the tree is whole.
  static let childKinds: Set<String> = ["TABLE", "FOREIGN TABLE"]
  /// Attached to a needed object brought along (a schema, a function): its comment, grant
  /// or sequence value comes with it.
  static let quietKinds: Set<String> = ["COMMENT", "ACL", "SECURITY LABEL", "SEQUENCE SET"]
  static let neededKinds: Set<String> = [
    "SCHEMA", "TYPE", "SHELL TYPE", "DOMAIN", "FUNCTION", "PROCEDURE", "AGGREGATE", "COLLATION", "EXTENSION",
    "SEQUENCE", "OPERATOR", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY",
  ]
  /// Always passed on: pg_restore's settings for the script.
  static let settingKinds: Set<String> = ["ENCODING", "STDSTRINGS", "SEARCHPATH"]
}

extension PartialPlan {
  /// The plan for `request` over `toc`; `exists` says whether the target has an entry's
  /// object. Unknown names are the caller's to refuse first (`PartialPlan.unknownNames`).
  public init(toc: ArchiveTOC, request: PartialRequest, exists: @escaping (ArchiveTOC.Entry) -> Bool) {
    var builder = PlanBuilder(toc: toc, fresh: request.intoSchema == nil ? nil : request.sourceSchema, exists: exists)
    builder.select(Self.selected(toc, request))
    builder.attach()
    self.init(
      entries: toc.entries.filter { builder.included.contains($0.id) || Self.settingKinds.contains($0.desc) },
      tables: toc.entries.filter { builder.core.contains($0.id) && $0.desc == "TABLE" },
      conflicts: builder.conflicts(), leftOut: builder.leftOut(),
      reused: toc.entries.filter { builder.reused.contains($0.id) && !builder.included.contains($0.id) })
  }

  /// The entries the request names: tables (and views, sequences) by schema and name, and
  /// every object of a named schema but its attachments (those follow their objects).
  static func selected(_ toc: ArchiveTOC, _ request: PartialRequest) -> [ArchiveTOC.Entry] {
    let tables = Set(request.tables)
    let schemas = Set(request.schemas)
    return toc.entries.filter { entry in
      guard let namespace = entry.namespace else { return false }
      if relationKinds.contains(entry.desc), tables.contains(.init(schema: namespace, table: entry.tag)) {
        return true
      }
      return schemas.contains(namespace) && (!attachedKinds.contains(entry.desc) || entry.desc == "SEQUENCE")
    }
  }
}

/// The fixpoint that grows a selection by its attachments and needs.
struct PlanBuilder {
  let toc: ArchiveTOC
  /// The schema `--into-schema` restores afresh: its objects count as absent from the target.
  let fresh: String?
  let exists: (ArchiveTOC.Entry) -> Bool
  let byID: [Int: ArchiveTOC.Entry]
  var included: Set<Int> = []
  /// Selected, and attached to what is selected: these decide what is left out.
  var core: Set<Int> = []
  var anchors: Set<Int> = []
  var reused: Set<Int> = []

  init(toc: ArchiveTOC, fresh: String?, exists: @escaping (ArchiveTOC.Entry) -> Bool) {
    self.toc = toc
    self.fresh = fresh
    self.exists = exists
    byID = Dictionary(toc.entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  func inTarget(_ entry: ArchiveTOC.Entry) -> Bool {
    if let fresh, entry.namespace == fresh || (entry.desc == "SCHEMA" && entry.tag == fresh) { return false }
    return exists(entry)
  }

  mutating func select(_ entries: [ArchiveTOC.Entry]) {
    for entry in entries {
      included.insert(entry.id)
      core.insert(entry.id)
      anchors.insert(entry.id)
    }
    for entry in entries { pullNeeds(of: entry) }
  }

  /// The needed objects `entry` depends on: restored when the target lacks them.
  mutating func pullNeeds(of entry: ArchiveTOC.Entry) {
    for id in entry.dependencies where !included.contains(id) && !reused.contains(id) {
      guard let needed = byID[id], PartialPlan.neededKinds.contains(needed.desc) else { continue }
      if needed.desc == "SCHEMA", needed.tag == fresh {
        reused.insert(id)  // made by the restore's own prologue
      } else if inTarget(needed) {
        reused.insert(id)
      } else {
        included.insert(id)
        pullNeeds(of: needed)
      }
    }
  }

  func isSelectedTable(_ id: Int) -> Bool {
    core.contains(id) && byID[id].map { PartialPlan.childKinds.contains($0.desc) } == true
  }

  func satisfiable(_ id: Int) -> Bool {
    included.contains(id) || reused.contains(id) || byID[id].map { PartialPlan.neededKinds.contains($0.desc) } ?? true
  }

  /// Attached entries join while any does.
  mutating func attach() {
    var changed = true
    var rounds = 0
    while changed, rounds < 10_000 {
      changed = false
      rounds += 1
      for entry in toc.entries where !included.contains(entry.id) {
        guard !entry.dependencies.isEmpty else { continue }
        let anchored = entry.dependencies.contains(where: anchors.contains)
        if PartialPlan.childKinds.contains(entry.desc), entry.dependencies.contains(where: isSelectedTable) {
          select([entry])
          changed = true
          continue
        }
        guard PartialPlan.attachedKinds.contains(entry.desc) else { continue }
        if anchored, entry.dependencies.allSatisfy(satisfiable) {
          include(attached: entry, anchored: true)
          changed = true
        } else if PartialPlan.quietKinds.contains(entry.desc), entry.dependencies.allSatisfy(included.contains) {
          include(attached: entry, anchored: false)
          changed = true
        }
      }
    }
  }

  mutating func include(attached entry: ArchiveTOC.Entry, anchored: Bool) {
    included.insert(entry.id)
    if anchored {
      anchors.insert(entry.id)
      core.insert(entry.id)
    }
    // A sequence owned by a selected table is the table's: restored with it, never reused.
    if entry.desc == "SEQUENCE OWNED BY", anchored {
      for id in entry.dependencies where byID[id]?.desc == "SEQUENCE" {
        reused.remove(id)
        included.insert(id)
        core.insert(id)
        anchors.insert(id)
      }
    }
    pullNeeds(of: entry)
  }

  func leftOut() -> [PartialPlan.LeftOut] {
    toc.entries.compactMap { entry in
      guard !included.contains(entry.id), PartialPlan.attachedKinds.contains(entry.desc),
        entry.dependencies.contains(where: anchors.contains)
      else { return nil }
      let missing = entry.dependencies.filter { !included.contains($0) && !reused.contains($0) }
      let names = missing.map { byID[$0].map(\.described) ?? "archive entry \($0)" }
      return .init(entry: entry, needs: names)
    }
  }

  /// Selected and attached objects (not settings, not data) that the target has already.
  func conflicts() -> [ArchiveTOC.Entry] {
    toc.entries.filter { entry in
      core.contains(entry.id) && entry.desc != "SCHEMA" && inTarget(entry)
    }
  }
}
