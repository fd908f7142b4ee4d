import Testing

@testable import DRPostgres
@testable import DRRestore

/// The partial restore's selection as a value: a TOC shaped like pg_dump's for a table
/// with a serial key, an index, a trigger, a grant and a foreign key to a table left out.
struct PartialPlanTests {
  static func entry(_ id: Int, _ desc: String, _ namespace: String?, _ tag: String, _ deps: [Int] = [])
    -> ArchiveTOC.Entry
  {
    .init(id: id, desc: desc, namespace: namespace, tag: tag, owner: "alice", section: 2, dependencies: deps)
  }

  static let toc = ArchiveTOC(
    version: (1, 14),
    entries: [
      entry(1, "ENCODING", nil, "ENCODING"),
      entry(6, "SCHEMA", nil, "shop"),
      entry(219, "FUNCTION", "shop", "touch()", [6]),
      entry(216, "TABLE", "shop", "customers", [6]),
      entry(215, "SEQUENCE", "shop", "customers_id_seq", [6]),
      entry(3366, "SEQUENCE OWNED BY", "shop", "customers_id_seq", [215, 216]),
      entry(218, "TABLE", "shop", "orders", [6]),
      entry(3367, "COMMENT", "shop", "TABLE orders", [218]),
      entry(3368, "ACL", "shop", "TABLE orders", [218]),
      entry(217, "SEQUENCE", "shop", "orders_id_seq", [6]),
      entry(3369, "SEQUENCE OWNED BY", "shop", "orders_id_seq", [217, 218]),
      entry(3205, "DEFAULT", "shop", "orders id", [218, 217]),
      entry(3357, "TABLE DATA", "shop", "customers", [216]),
      entry(3359, "TABLE DATA", "shop", "orders", [218]),
      entry(3370, "SEQUENCE SET", "shop", "customers_id_seq", [215]),
      entry(3371, "SEQUENCE SET", "shop", "orders_id_seq", [217]),
      entry(3208, "CONSTRAINT", "shop", "customers customers_pkey", [216]),
      entry(3211, "CONSTRAINT", "shop", "orders orders_pkey", [218]),
      entry(3209, "INDEX", "shop", "orders_note_idx", [218]),
      entry(3213, "TRIGGER", "shop", "orders orders_touch", [218, 219]),
      entry(3212, "FK CONSTRAINT", "shop", "orders orders_customer_id_fkey", [218, 3208]),
    ])

  @Test func aTableBringsWhatItNeedsAndLeavesTheForeignKeyOut() {
    let plan = PartialPlan(
      toc: Self.toc, request: .init(tables: [.init(schema: "shop", table: "orders")]), exists: { _ in false })
    #expect(plan.entries.map(\.id) == [1, 6, 219, 218, 3367, 3368, 217, 3369, 3205, 3359, 3371, 3211, 3209, 3213])
    #expect(plan.tables.map(\.tag) == ["orders"])
    #expect(plan.leftOut.map(\.entry.id) == [3212])
    #expect(plan.leftOut.first?.needs == ["CONSTRAINT shop.customers customers_pkey"])
    #expect(plan.conflicts.isEmpty)
  }

  @Test func whatTheTargetHasIsUsedAndWhatItHasOfTheSelectionConflicts() {
    let plan = PartialPlan(
      toc: Self.toc, request: .init(tables: [.init(schema: "shop", table: "orders")]),
      exists: { ["SCHEMA", "FUNCTION", "INDEX"].contains($0.desc) })
    #expect(!plan.entries.contains { $0.id == 6 || $0.id == 219 })
    #expect(plan.reused.map(\.id) == [6, 219])
    #expect(plan.conflicts.map(\.id) == [3209])
  }

  @Test func aSchemaKeepsItsForeignKeys() {
    let plan = PartialPlan(toc: Self.toc, request: .init(schemas: ["shop"]), exists: { _ in false })
    #expect(plan.entries.count == Self.toc.entries.count)
    #expect(plan.leftOut.isEmpty)
    #expect(plan.tables.map(\.tag) == ["customers", "orders"])
  }

  @Test func unknownNamesComeWithTheClosest() {
    let unknown = PartialPlan.unknownNames(
      Self.toc, .init(schemas: ["shopp"], tables: [.init(schema: "shop", table: "order")]))
    #expect(unknown.map(\.name) == ["shop.order", "shopp"])
    #expect(unknown.first?.closest.first == "shop.orders")
    #expect(unknown.last?.closest == ["shop"])
  }

  /// A partitioned table brings its partitions, their data, attachments and indexes.
  @Test func aPartitionedTableBringsItsPartitions() {
    let toc = ArchiveTOC(
      version: (1, 14),
      entries: [
        Self.entry(219, "TABLE", "public", "measurements"),
        Self.entry(220, "TABLE", "public", "measurements_2025", [219]),
        Self.entry(3212, "TABLE ATTACH", "public", "measurements_2025", [220, 219]),
        Self.entry(3372, "TABLE DATA", "public", "measurements_2025", [220]),
        Self.entry(3221, "INDEX", "public", "measurements_id_idx", [219]),
        Self.entry(3222, "INDEX", "public", "measurements_2025_id_idx", [220, 220, 3221]),
        Self.entry(3223, "INDEX ATTACH", "public", "measurements_2025_id_idx", [3222, 3221, 220, 219]),
        Self.entry(300, "TABLE", "public", "other"),
      ])
    let plan = PartialPlan(
      toc: toc, request: .init(tables: [.init(schema: "public", table: "measurements")]), exists: { _ in false })
    #expect(plan.entries.map(\.id) == [219, 220, 3212, 3372, 3221, 3222, 3223])
    #expect(plan.tables.map(\.tag) == ["measurements", "measurements_2025"])
    #expect(plan.leftOut.isEmpty)
  }
}
