import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A partial restore interrupted in the middle of its transaction.
struct PartialInterruptionTests {
  /// `--table shop.orders --into-schema shop_restored` into the live source database, the
  /// download slowed by a fault proxy; once psql holds the open transaction (the live
  /// schema already set aside in it), SIGTERM: dr exits 143, psql and pg_restore are gone,
  /// and the live database is as it was: schema shop with its rows, no shop_restored, no
  /// set-aside schema, no session left.
  @Test func sigtermMidTransactionLeavesTheLiveDatabaseAsItWas() async throws {
    let fixture = try await BackupFixture.make("pstop", fillerRows: 60_000, compression: "{codec: none}")
    try await PartialShop.prepare(fixture)
    #expect(try await fixture.run(["backup"]).status == 0)
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 400_000
    try fixture.writePolicy(endpoint: proxy.endpoint)
    var tally = FaultTally("SIGTERM of dr mid partial restore (--into-schema)")
    let url = try MultiDatabase.superuserURL(fixture.database)
    let live = try await PartialShop.connect(url)
    let before = try await PartialShop.relations(live)

    let dr = try fixture.start(
      ["restore", "--target", url, "--table", "shop.orders", "--into-schema", "shop_restored"])
    let sessions =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = \(SQL.literal(fixture.database)) "
      + "AND application_name = 'psql'"
    let open = sessions + " AND state = 'idle in transaction'"
    #expect(
      try await eventually(limit: .seconds(120)) { try await PartialShop.value(live, open) == "1" },
      "psql never held the transaction: \(dr.standardError)")
    kill(dr.pid, SIGTERM)
    tally.faults += 1
    proxy.bandwidthLimit = nil
    #expect(await dr.wait() == .exited(143), "\(dr.standardError)")
    #expect(try await eventually { try await PartialShop.value(live, sessions) == "0" }, "a psql session is left")
    let after = try await PartialShop.relations(live)
    tally.destroyed += after == before ? 0 : 1
    #expect(after == before, "\(after)")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM shop.orders") == "300")
    let schemas = try await live.query(
      "SELECT nspname FROM pg_namespace WHERE nspname = 'shop_restored' OR nspname LIKE 'dr\\_aside%'")
    #expect(schemas.isEmpty, "\(schemas)")
    await FaultLedger.record(tally)
    await fixture.remove()
  }
}
