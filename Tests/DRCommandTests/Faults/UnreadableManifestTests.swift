import DRS3
import DRTestSupport
import Foundation
import Testing

/// Nothing destroyed on uncertainty (issue 15): a manifest that cannot be read is not a
/// missing one. Three complete backups older than the grace, `keep_last: 1`, the newest
/// (or every) manifest made unreadable in a way the real services allow: `dr prune` and
/// `dr prune --dry-run` name each unknown backup and why, exit 1, and every object stays.
@Suite(.scenarioGate)
struct UnreadableManifestTests {
  /// Three backups, a second apart; their IDs oldest first.
  static func threeBackups(_ fixture: BackupFixture) async throws -> [String] {
    var ids: [String] = []
    for _ in 0..<3 {
      ids.append(try await fixture.backup())
      try await Task.sleep(for: .milliseconds(1_100))
    }
    return ids
  }

  /// Prunes (dry run, then for real) with every unknown named; returns the objects that
  /// went missing.
  static func pruneKeepsEverything(
    _ fixture: BackupFixture, unknown: [String], saying reason: String, blocked: Bool = true,
    environment: [String: String] = [:]
  ) async throws -> Int {
    let before = Set(try await fixture.bucketContents().keys)
    for dryRun in [true, false] {
      let pruned = try await fixture.run(
        ["prune", "--incomplete-grace", "1s"] + (dryRun ? ["--dry-run"] : []), environment)
      #expect(pruned.status == 1, "\(pruned.combined)")
      for id in unknown {
        #expect(pruned.standardOutput.contains("UNKNOWN \(id)"), "\(pruned.standardOutput)")
      }
      #expect(pruned.standardOutput.contains(reason), "\(pruned.standardOutput)")
      let summary = blocked ? (dryRun ? "nothing would be deleted" : "nothing was deleted") : "could not be read: kept"
      #expect(pruned.standardOutput.contains(summary), "\(pruned.standardOutput)")
      #expect(!pruned.standardOutput.contains("deleted 1 backup"), "\(pruned.standardOutput)")
    }
    let json = try await fixture.run(["prune", "--json"], environment)
    #expect(json.status == 1, "\(json.combined)")
    let report = try json.jsonObject()
    #expect(report["blocked"] as? Bool == blocked)
    #expect((report["unknown"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == unknown.sorted())
    let after = Set(try await fixture.bucketContents().keys)
    #expect(after == before, "objects gone: \(before.subtracting(after).sorted())")
    return before.subtracting(after).count
  }

  static func fixture(_ label: String) async throws -> BackupFixture {
    let fixture = try await BackupFixture.make(label)
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 1}\n")
    return fixture
  }

  @Test func aManifestTheBucketPolicyDeniesIsUnknownAndNothingIsDeleted() async throws {
    let fixture = try await Self.fixture("deniedmanifest")
    let ids = try await Self.threeBackups(fixture)
    // RGW enforces an explicit Deny even against the bucket's owner.
    try await fixture.client.putBucketPolicy(
      fixture.bucket,
      policy: """
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::\(fixture.bucket)/\(try fixture.manifestKey(ids[2]))"}]}
        """)
    var tally = FaultTally("manifest denied by a bucket policy (403)")
    tally.faults = 1
    tally.destroyed = try await Self.pruneKeepsEverything(fixture, unknown: [ids[2]], saying: "403")
    let listed = try await fixture.run(["list"])
    #expect(listed.status == 0, "\(listed.combined)")
    #expect(listed.standardOutput.contains("UNKNOWN"), "\(listed.standardOutput)")
    #expect(listed.standardOutput.contains("\(ids[2]): the manifest could not be read"), "\(listed.standardOutput)")
    try await fixture.client.putBucketPolicy(
      fixture.bucket,
      policy: """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::\(fixture.bucket)/*"}]}
        """)
    #expect(tally.destroyed == 0)
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func manifestsAnswering503PastTheRetryBudgetAreUnknownAndNothingIsDeleted() async throws {
    let fixture = try await Self.fixture("manifest503")
    let ids = try await Self.threeBackups(fixture)
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    try fixture.writePolicy(endpoint: proxy.endpoint, extra: "retention: {keep_last: 1}\n")
    // Every manifest GET answers 503, so nothing is known to be complete or latest good.
    proxy.injectHTTPFault(
      .respond(.s3SlowDown), budget: .always, filter: .init(method: "GET", pathContains: "/manifest.json"))
    var tally = FaultTally("manifest GETs answer 503 past the retry budget")
    tally.faults = 1
    let retries = ["DR_S3_RETRY_ATTEMPTS": "2", "DR_S3_RETRY_SECONDS": "1"]
    tally.destroyed = try await Self.pruneKeepsEverything(
      fixture, unknown: ids, saying: "503", blocked: false, environment: retries)
    #expect(proxy.counters.injected(.response) > 0)
    proxy.clearFaults()
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 1}\n")
    #expect(tally.destroyed == 0)
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func aTruncatedManifestIsUnknownAndNothingIsDeleted() async throws {
    let fixture = try await Self.fixture("cutmanifest")
    let ids = try await Self.threeBackups(fixture)
    let key = try fixture.manifestKey(ids[2])
    let whole = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: Array(whole.prefix(whole.count / 2)))
    var tally = FaultTally("manifest cut short")
    tally.faults = 1
    tally.destroyed = try await Self.pruneKeepsEverything(fixture, unknown: [ids[2]], saying: "cut short")
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: whole)
    #expect(tally.destroyed == 0)
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func aManifestOfANewerFormatIsUnknownAndListedAsANewerDrs() async throws {
    let fixture = try await Self.fixture("newermanifest")
    let ids = try await Self.threeBackups(fixture)
    let key = try fixture.manifestKey(ids[2])
    let whole = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
    var object = try #require(try JSONSerialization.jsonObject(with: Data(whole)) as? [String: Any])
    object["format_version"] = 99
    object["something_new"] = ["that": "this dr does not know"]
    try await fixture.client.putObject(
      bucket: fixture.bucket, key: key, body: Array(try JSONSerialization.data(withJSONObject: object)))
    var tally = FaultTally("manifest of a newer format (99)")
    tally.badInputs = 1
    tally.destroyed = try await Self.pruneKeepsEverything(fixture, unknown: [ids[2]], saying: "newer dr")
    let listed = try await fixture.run(["list", "--json"])
    let entries = try listed.jsonArray()
    let newest = try #require(entries.first { $0["id"] as? String == ids[2] })
    #expect(newest["state"] as? String == "unknown")
    #expect(newest["complete"] as? Bool == false)
    #expect((newest["unknown_reason"] as? String)?.contains("written by a newer dr") == true, "\(newest)")
    let text = try await fixture.run(["list"])
    #expect(text.standardOutput.contains("NEWER-DR"), "\(text.standardOutput)")
    // The backups it can read stay usable.
    let verified = try await fixture.run(["verify", "--backup", ids[1]])
    #expect(verified.status == 0, "\(verified.combined)")
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: whole)
    #expect(tally.destroyed == 0)
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  /// A manifest of a format this dr reads whose objects use a codec it does not know (a
  /// newer dr's) is a newer dr's backup: unknown, kept, never "incomplete" or "corrupt".
  @Test func aManifestNamingAnUnknownCodecIsUnknownAndListedAsANewerDrs() async throws {
    let fixture = try await Self.fixture("newercodec")
    let ids = try await Self.threeBackups(fixture)
    let key = try fixture.manifestKey(ids[2])
    let whole = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
    var object = try #require(try JSONSerialization.jsonObject(with: Data(whole)) as? [String: Any])
    var objects = try #require(object["objects"] as? [[String: Any]])
    for index in objects.indices {
      var compression = try #require(objects[index]["compression"] as? [String: Any])
      compression["codec"] = "xz"
      objects[index]["compression"] = compression
    }
    object["objects"] = objects
    try await fixture.client.putObject(
      bucket: fixture.bucket, key: key, body: Array(try JSONSerialization.data(withJSONObject: object)))
    var tally = FaultTally("manifest naming a codec this dr does not know (xz)")
    tally.badInputs = 1
    tally.destroyed = try await Self.pruneKeepsEverything(fixture, unknown: [ids[2]], saying: "codec 'xz'")
    let newest = try #require(try await fixture.list().first { $0["id"] as? String == ids[2] })
    #expect(newest["state"] as? String == "unknown")
    #expect((newest["unknown_reason"] as? String)?.contains("written by a newer dr") == true, "\(newest)")
    // Verifying it is this dr's limit, not the backup's fault: no failed record.
    let verified = try await fixture.run(["verify", "--backup", ids[2]])
    #expect(verified.status == 1, "\(verified.combined)")
    #expect(!verified.combined.contains("FAILED"), "\(verified.combined)")
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: whole)
    #expect(try await fixture.list().first { $0["id"] as? String == ids[2] }?["verification"] as? String == "none")
    #expect(tally.destroyed == 0)
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  /// The unknown is older than anything the rule keeps: what it cannot change is pruned,
  /// it is kept, and the prune still exits 1 naming it.
  @Test func anUnknownThatCannotChangeThePlanIsKeptWhileTheRestIsPruned() async throws {
    let fixture = try await Self.fixture("oldunknown")
    let ids = try await Self.threeBackups(fixture)
    let key = try fixture.manifestKey(ids[0])
    let whole = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: Array(whole.prefix(10)))
    let pruned = try await fixture.run(["prune"])
    #expect(pruned.status == 1, "\(pruned.combined)")
    #expect(pruned.standardOutput.contains("UNKNOWN \(ids[0])"), "\(pruned.standardOutput)")
    #expect(pruned.standardOutput.contains("delete \(ids[1])"), "\(pruned.standardOutput)")
    let keys = try await fixture.bucketContents().keys
    #expect(keys.contains(key))
    #expect(keys.contains { $0.contains(ids[0]) && $0.hasSuffix("dump.pgc.bz2") })
    #expect(!keys.contains { $0.contains(ids[1]) })
    #expect(keys.contains(try fixture.manifestKey(ids[2])))
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: whole)
    var tally = FaultTally("an old manifest cut short, the rest pruned")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }
}
