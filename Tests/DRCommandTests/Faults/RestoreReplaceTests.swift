import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `dr restore --target --clean` replaces a database only once the new copy is complete
/// (issue 15): a corrupt backup, counts that differ, SIGTERM and SIGKILL midway all leave
/// the target's data exactly as it was, and the side database goes (at once, or with the
/// next restore when dr was killed). A successful replace swaps the new data in.
@Suite(.scenarioGate, .serialized)
struct RestoreReplaceTests {
  /// A backed-up fixture, and a populated target database on the same server.
  struct Setup {
    let fixture: BackupFixture
    let id: String
    let target: String

    var targetURL: String { get throws { try TestServices.superuserURL(database: target) } }

    /// Rows of the target's own table: 123 until something destroys them.
    func preciousRows() async throws -> Int {
      let connection = try await PGConnection.connect(try targetURL)
      let rows = try await connection.query("SELECT count(*) FROM precious")
      return Int(rows.first?.first.flatMap { $0 } ?? "") ?? -1
    }

    /// Whether a database of that name is on the server.
    func exists(_ name: String?) async throws -> Bool {
      guard let name else { return false }
      return try await TestDatabases.exists(name)
    }

    /// A failed restore (one fault) left the target's rows and dropped the side database it
    /// logged; the tally goes to the ledger.
    func expectUnchangedWithoutSide(
      after restore: DRBinary.Result, _ tally: FaultTally, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
      var tally = tally
      tally.faults = 1
      tally.destroyed = 123 - (try await preciousRows())
      #expect(tally.destroyed == 0, sourceLocation: sourceLocation)
      let side = RestoreReplaceTests.side(in: restore.standardError)
      #expect(side != nil, "\(restore.standardError)", sourceLocation: sourceLocation)
      #expect(!(try await exists(side)), "the side database is dropped", sourceLocation: sourceLocation)
      await FaultLedger.record(tally)
    }

    func restore(_ extra: [String], _ environment: [String: String] = [:]) async throws -> DRBinary.Result {
      try await fixture.run(["restore", "--target", try targetURL, "--no-owner"] + extra, environment)
    }

    func remove() async {
      await TestDatabases.drop(target)
      await fixture.remove()
    }
  }

  static func setUp(_ label: String, fillerRows: Int = 0) async throws -> Setup {
    let fixture = try await BackupFixture.make(label, fillerRows: fillerRows)
    let id = try await fixture.backup()
    let (target, _) = try await TestDatabases.create("replace", sql: TestDatabases.preciousTable)
    return Setup(fixture: fixture, id: id, target: target)
  }

  /// The side database a running restore logged (`prefix` dr_restore_), or the replaced
  /// one (dr_replaced_), once it did.
  static func side(in text: String, prefix: String = "dr_restore_") -> String? {
    TestDatabases.named(prefix, in: text)
  }

  @Test func aNonEmptyTargetIsReplacedOnlyWithCleanAndConsent() async throws {
    let setup = try await Self.setUp("replaceconsent")
    let plain = try await setup.restore([])
    #expect(plain.status == 1, "\(plain.combined)")
    #expect(plain.standardError.contains("is not empty (1 objects)"), "\(plain.standardError)")
    let unconfirmed = try await setup.restore(["--clean"])
    #expect(unconfirmed.status == 2, "\(unconfirmed.combined)")
    #expect(unconfirmed.standardError.contains("needs --yes"), "\(unconfirmed.standardError)")
    #expect(try await setup.preciousRows() == 123)
    #expect(Self.side(in: plain.combined + unconfirmed.combined) == nil, "nothing was made beside it")
    var tally = FaultTally("restore --clean into a non-empty target without consent")
    tally.badInputs = 2
    tally.destroyed = 123 - (try await setup.preciousRows())
    await FaultLedger.record(tally)
    await setup.remove()
  }

  @Test func aCorruptBackupLeavesTheTargetAsItWas() async throws {
    let setup = try await Self.setUp("replacecorrupt")
    let key = try setup.fixture.dumpKey(setup.id)
    var bytes = try await setup.fixture.object(key)
    bytes[bytes.count / 2] ^= 0xFF
    try await setup.fixture.replace(key, with: bytes)
    let restore = try await setup.restore(["--clean", "--yes"])
    #expect(restore.status != 0, "\(restore.combined)")
    #expect(restore.standardError.contains("is unchanged"), "\(restore.standardError)")
    try await setup.expectUnchangedWithoutSide(after: restore, FaultTally("restore --clean of a corrupt backup"))
    await setup.remove()
  }

  @Test func countsThatDifferFromTheManifestLeaveTheTargetAsItWas() async throws {
    let setup = try await Self.setUp("replacecounts")
    let key = try setup.fixture.manifestKey(setup.id)
    let whole = try await setup.fixture.object(key)
    var manifest = try #require(try JSONSerialization.jsonObject(with: Data(whole)) as? [String: Any])
    var counts = try #require(manifest["row_counts"] as? [String: Any])
    var tables = try #require(counts["tables"] as? [[String: Any]])
    let orders = try #require(tables.firstIndex { $0["table"] as? String == "orders" })
    tables[orders]["rows"] = 2_001
    counts["tables"] = tables
    manifest["row_counts"] = counts
    try await setup.fixture.replace(key, with: Array(try JSONSerialization.data(withJSONObject: manifest)))
    let restore = try await setup.restore(["--clean", "--yes"])
    #expect(restore.status != 0, "\(restore.combined)")
    #expect(restore.standardError.contains("does not match the backup's row counts"), "\(restore.standardError)")
    #expect(restore.standardError.contains("sales.orders"), "\(restore.standardError)")
    try await setup.expectUnchangedWithoutSide(
      after: restore, FaultTally("restore --clean whose counts differ from the manifest"))
    await setup.remove()
  }

  /// The download crawls through a proxy, so the restore is midway when signalled.
  @Test(arguments: [SIGTERM, SIGKILL])
  func aSignalMidRestoreLeavesTheTargetAsItWas(signal: Int32) async throws {
    let setup = try await Self.setUp(signal == SIGTERM ? "replaceterm" : "replacekill", fillerRows: 30_000)
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 5_000
    try setup.fixture.writePolicy(endpoint: proxy.endpoint)
    let dr = try ChildProcess(
      DRBinary.path,
      [
        "restore", "--target", try setup.targetURL, "--no-owner", "--clean", "--yes", "--policy",
        setup.fixture.policyFile,
      ],
      environment: try setup.fixture.environment())
    var side: String?
    _ = await eventually(limit: .seconds(300), every: .milliseconds(50)) {
      side = Self.side(in: dr.standardError)
      return side != nil
    }
    let made = try #require(side, "the restore never started: \(dr.standardError)")
    try await Task.sleep(for: .milliseconds(500))
    #expect(try await setup.exists(made))
    kill(dr.pid, signal)
    let status = await dr.wait()
    var tally = FaultTally("\(signal == SIGTERM ? "SIGTERM" : "SIGKILL") during restore --clean")
    tally.faults = 1
    proxy.bandwidthLimit = nil
    if signal == SIGTERM {
      #expect(status == .exited(143), "\(dr.standardError)")
      #expect(!(try await setup.exists(made)), "the side database is dropped at once")
    } else {
      // The killed dr could not drop it: the next restore does, before it starts its own.
      #expect(try await setup.exists(made))
      let next = try await setup.restore([])
      #expect(next.status == 1, "the target is still not empty: \(next.combined)")
      #expect(!(try await setup.exists(made)), "the next restore drops the dead one's side")
    }
    tally.destroyed = 123 - (try await setup.preciousRows())
    #expect(tally.destroyed == 0)
    await FaultLedger.record(tally)
    await setup.remove()
  }

  @Test func aCompleteCopyIsSwappedIn() async throws {
    let setup = try await Self.setUp("replaceok")
    let restore = try await setup.restore(["--clean", "--yes", "--json"])
    #expect(restore.status == 0, "\(restore.combined)")
    #expect(try restore.jsonObject()["replaced"] as? Bool == true)
    let connection = try await PGConnection.connect(try setup.targetURL)
    #expect(try await connection.query("SELECT count(*) FROM sales.orders").first?.first == "2000")
    #expect(try await connection.query("SELECT to_regclass('public.precious') IS NULL").first?.first == "t")
    let side = Self.side(in: restore.standardError)
    let replaced = Self.side(in: restore.standardError, prefix: "dr_replaced_")
    #expect(side != nil && replaced != nil, "\(restore.standardError)")
    #expect(!(try await setup.exists(side)), "the side database now has the target's name")
    #expect(!(try await setup.exists(replaced)), "the replaced data is dropped once the new copy is in")
    await setup.remove()
  }
}
