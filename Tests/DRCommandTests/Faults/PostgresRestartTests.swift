import DRCore
import DRTestSupport
import Foundation
import Testing

/// PostgreSQL restarted while pg_dump streams: the backup fails naming pg_dump, nothing is
/// listed or left uploading, and once the server is back the next backup succeeds. The
/// server restarted is a throwaway cluster of this test's own (`TestCluster`): restarting
/// the shared one would break every test running beside it.
@Suite(.scenarioGate)
struct PostgresRestartTests {
  @Test func postgresRestartedMidDumpFailsTheBackupCleanly() async throws {
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    try await TestCluster.with(binDirectory: bindir) { cluster in
      let database = TestDatabases.uniqueName("restart")
      try await cluster.createDatabase(database)
      // ~130 MB, far more than dr buffers, so pg_dump is mid-stream when the server goes.
      let filler = BackupFixture.schema(fillerRows: 1_200_000)
      let made = try await cluster.client("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", filler])
      #expect(made.status == 0, "\(made.standardError)")
      let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
      defer { proxy.stop() }
      let fixture = try await BackupFixture.make("pgrestart", compression: BackupFixture.quickCompression)
      // The fixture's policy, pointed at the cluster's socket and through the proxy.
      try fixture.writePolicy(
        endpoint: proxy.endpoint,
        databaseURL: "postgresql://postgres@/\(database)?host=\(cluster.directory)&port=\(cluster.port)")
      proxy.bandwidthLimit = 100_000
      let dr = try fixture.start(["backup"])
      _ = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
      #expect(try await eventually { try await fixture.bucketContents().uploads > 0 }, "no upload began")
      try await cluster.restart()
      proxy.bandwidthLimit = nil  // dr reads pg_dump on at full speed, and meets the cut.
      #expect(await dr.wait() == .exited(1), "\(dr.standardError)")
      #expect(dr.standardError.contains("pg_dump"), "\(dr.standardError)")
      let state = EndState(fixture, database: database)
      #expect(try await state.entries(all: true).isEmpty, "dr removed what it wrote")
      #expect(try await fixture.bucketContents().uploads == 0)
      var tally = FaultTally("PostgreSQL restarted mid-dump")
      tally.faults = 1
      try await state.check(tally)
      await fixture.remove()
    }
  }
}
