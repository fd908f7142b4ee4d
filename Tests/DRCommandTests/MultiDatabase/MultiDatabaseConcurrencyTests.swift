import DRBackup
import DRPolicy
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// With zstd (or none), several databases are dumped a bounded number at once (one per
/// core, at most 4), each in its own snapshot, and the manifest still lists them in the
/// policy's order. bzip2 dumps one at a time on every core.
@Suite(.scenarioGate)
struct MultiDatabaseConcurrencyTests {
  /// Injected: the first listed database's table is held under an ACCESS EXCLUSIVE lock, so
  /// its pg_dump (and its row count) wait. Asserted: the second database's dump object is
  /// written to the bucket while the first still waits (dumped one after another, it could
  /// not be); once the lock is released the backup completes, listing both in the policy's
  /// order with their counts. Needs 2 cores, as CI has.
  @Test func aSecondDatabaseIsDumpedWhileTheFirstWaits() async throws {
    try #require(ProcessInfo.processInfo.activeProcessorCount >= 2, "two databases at once need 2 cores")
    let fixture = try await BackupFixture.make("multiconc", compression: "{codec: zstd, level: 1}")
    let second = fixture.database + "_second"
    try await MultiDatabase.make(second, sql: "CREATE TABLE t AS SELECT n FROM generate_series(1, 70) n;")
    let holder = try await PGConnection.connect(try MultiDatabase.userURL(fixture.database))
    _ = try await holder.query("CREATE TABLE held AS SELECT n FROM generate_series(1, 30) n")
    _ = try await holder.query("BEGIN")
    _ = try await holder.query("LOCK TABLE held IN ACCESS EXCLUSIVE MODE")
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), databases: MultiDatabase.yamlList([fixture.database, second]))
    let backup = Task { try await fixture.run(["backup"]) }
    let secondWritten = await eventually(limit: .seconds(120)) {
      let keys = (try? await fixture.bucketContents().keys) ?? []
      return keys.contains { $0.hasSuffix("/dump-\(second).pgc.zst") }
    }
    let firstWaiting = try await TestDatabases.value(
      try TestServices.superuserURL(),
      "SELECT count(*) FROM pg_stat_activity WHERE datname = \(SQL.literal(fixture.database)) "
        + "AND wait_event_type = 'Lock'")
    _ = try await holder.query("COMMIT")
    let result = try await backup.value
    #expect(secondWritten, "the second database was not dumped while the first waited")
    #expect(firstWaiting != "0", "the first database's dump was not waiting on the lock")
    #expect(result.status == 0, "\(result.combined)")
    let id = try #require(try await fixture.listedIDs().first)
    let manifest = try await MultiDatabase.manifest(fixture, id)
    let names = (manifest["databases"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(names == [fixture.database, second])
    let counts = MultiDatabase.counts(in: manifest)
    #expect(counts[fixture.database]?["public.held"] == 30)
    #expect(counts[second] == ["public.t": 70])
    await TestDatabases.drop(second)
    await fixture.remove()
  }
}

/// How many databases run at once, and the compressor threads each gets.
struct DumpsAtOnceTests {
  @Test(arguments: [(1, 2, 1), (3, 1, 1), (3, 2, 2), (2, 8, 2), (10, 8, 4), (10, 2, 2)])
  func oneDumpPerCoreAtMostFour(databases: Int, cores: Int, expected: Int) {
    #expect(BackupRunner.dumpsAtOnce(databases: databases, cores: cores, codec: .zstd) == expected)
    #expect(BackupRunner.dumpsAtOnce(databases: databases, cores: cores, codec: .none) == expected)
  }

  @Test(arguments: [1, 2, 8])
  func bzip2DumpsOneAtATimeOnEveryCore(cores: Int) {
    #expect(BackupRunner.dumpsAtOnce(databases: 5, cores: cores, codec: .bzip2) == 1)
    #expect(BackupRunner.threadsPerDump(policyThreads: nil, cores: cores, atOnce: 1) == nil)
  }

  @Test func autoThreadsAreSharedAndAPolicysCountIsKept() {
    #expect(BackupRunner.threadsPerDump(policyThreads: nil, cores: 2, atOnce: 1) == nil)
    #expect(BackupRunner.threadsPerDump(policyThreads: nil, cores: 2, atOnce: 2) == 1)
    #expect(BackupRunner.threadsPerDump(policyThreads: nil, cores: 8, atOnce: 3) == 2)
    #expect(BackupRunner.threadsPerDump(policyThreads: 3, cores: 2, atOnce: 2) == 3)
  }
}
