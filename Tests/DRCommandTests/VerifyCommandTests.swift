import DRBackup
import DRCore
import DRCrypto
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `dr verify` and `dr restore --target` end to end, with stored-data faults.
struct VerifyCommandTests {
  /// A fixture with one complete backup; returns its ID. dr runs with a TMPDIR of its own,
  /// so a scratch cluster left behind would show there.
  func backedUp(_ label: String, extra: String = BackupFixture.ordersCheck) async throws
    -> (BackupFixture, String, String)
  {
    let fixture = try await BackupFixture.make(label)
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: extra)
    return (fixture, try await fixture.backup(), TemporaryDirectory.unique("dr-verify-tmp"))
  }

  func expectNoScratchLeft(_ temporary: String) throws {
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "scratch left in \(temporary)")
  }

  @Test func aGoodBackupPassesAndIsListedAsVerified() async throws {
    let (fixture, id, temporary) = try await backedUp("verifyok")
    let verified = try await fixture.run(["verify", "--json"], ["TMPDIR": temporary])
    #expect(verified.status == 0, "\(verified.combined)")
    let object = try verified.jsonObject()
    #expect(object["id"] as? String == id)
    #expect(object["outcome"] as? String == "passed")
    #expect((object["phases"] as? [String: Any])?.keys.sorted() == ["checks", "decompress", "download", "restore"])
    #expect(object["tables_compared"] as? Int == 6)
    #expect(object["checks_run"] as? Int == 1)
    try expectNoScratchLeft(temporary)
    let entries = try await fixture.list()
    #expect(entries.first?["verification"] as? String == "passed")
    #expect(entries.first?["restore_seconds"] != nil)
    let records = try await fixture.keys(under: fixture.layout.verificationsPrefix + id + "/")
    #expect(records.count == 1)
    await fixture.remove()
  }

  @Test func aFlippedByteFailsTheVerificationWithTheChecksum() async throws {
    let (fixture, id, temporary) = try await backedUp("flip")
    var bytes = try await fixture.object(try fixture.dumpKey(id))
    bytes[bytes.count / 2] ^= 0x01
    try await fixture.replace(try fixture.dumpKey(id), with: bytes)
    let verified = try await fixture.run(["verify"], ["TMPDIR": temporary])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(verified.standardOutput.contains("FAILED"))
    #expect(
      verified.standardOutput.contains("SHA-256") || verified.standardOutput.contains("decompress"),
      "\(verified.standardOutput)")
    try expectNoScratchLeft(temporary)
    // dr restore refuses it too, and leaves the target without the data: the database it
    // created for the restore is dropped again.
    let target = TestDatabases.uniqueName("flip_target", length: 6)
    let restore = try await fixture.run(
      ["restore", "--target", try TestServices.superuserURL(database: target), "--backup", id, "--no-owner"])
    #expect(restore.status == 1)
    #expect(
      restore.standardError.contains("SHA-256") || restore.standardError.contains("decompress"),
      "\(restore.standardError)")
    #expect(!(try await TestDatabases.exists(target)))
    await fixture.remove()
  }

  @Test func aTruncatedDumpFails() async throws {
    let (fixture, id, temporary) = try await backedUp("trunc")
    let bytes = try await fixture.object(try fixture.dumpKey(id))
    try await fixture.replace(try fixture.dumpKey(id), with: Array(bytes.prefix(bytes.count / 2)))
    let verified = try await fixture.run(["verify", "--backup", id], ["TMPDIR": temporary])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(verified.standardOutput.contains("bytes, the manifest says"), "\(verified.standardOutput)")
    try expectNoScratchLeft(temporary)
    await fixture.remove()
  }

  @Test func aManifestThatLiesAboutRowCountsFailsTableByTable() async throws {
    let (fixture, id, temporary) = try await backedUp("lie")
    let manifest = try await fixture.object(try fixture.manifestKey(id))
    let text = String(decoding: manifest, as: UTF8.self).replacingOccurrences(
      of: "\"rows\" : 2000", with: "\"rows\" : 1999")
    #expect(text.contains("1999"))
    try await fixture.replace(try fixture.manifestKey(id), with: Array(text.utf8))
    let verified = try await fixture.run(["verify"], ["TMPDIR": temporary])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(
      verified.standardOutput.contains("row_count sales.orders: 1999 rows in the manifest, 2000 restored"),
      "\(verified.standardOutput)")
    try expectNoScratchLeft(temporary)
    await fixture.remove()
  }

  @Test func aFailingCheckFailsWithWhatItReturned() async throws {
    let failing = "verify:\n  checks:\n    - {name: too many, sql: \"SELECT count(*) > 5000 FROM sales.orders\"}\n"
    let (fixture, _, temporary) = try await backedUp("check", extra: failing)
    let verified = try await fixture.run(["verify"], ["TMPDIR": temporary])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(
      verified.standardOutput.contains("check too many: expected a single true, got (f)"), "\(verified.standardOutput)")
    try expectNoScratchLeft(temporary)
    await fixture.remove()
  }

  @Test func aMissingManifestFails() async throws {
    let (fixture, id, temporary) = try await backedUp("nomanifest")
    try await fixture.client.deleteObject(bucket: fixture.bucket, key: try fixture.manifestKey(id))
    let verified = try await fixture.run(["verify", "--backup", id], ["TMPDIR": temporary])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(verified.standardOutput.contains("no manifest"), "\(verified.standardOutput)")
    await fixture.remove()
  }

  @Test func restoreIntoANewDatabaseThenRefusesItUnlessClean() async throws {
    let (fixture, _, _) = try await backedUp("target")
    let target = try TestServices.superuserURL(database: "dr_target_\(UUID().uuidString.prefix(6).lowercased())")
    for jobs in ["1", "2"] {
      // --no-owner: the shared test server must not get the backup's roles (other tests' roles).
      // The second run replaces what the first restored: --clean, confirmed with --yes.
      let restored = try await fixture.run([
        "restore", "--target", target, "--jobs", jobs, "--clean", "--yes", "--no-owner", "--json",
      ])
      #expect(restored.status == 0, "\(restored.combined)")
      let check = try await PGConnection.connect(target)
      #expect(try await check.query("SELECT count(*) FROM sales.orders").first?.first == "2000")
      #expect(try await check.query("SELECT count(*) FROM \"Audit Log\".\"Events\"").first?.first == "500")
    }
    let refused = try await fixture.run(["restore", "--target", target, "--no-owner"])
    #expect(refused.status == 1)
    #expect(refused.standardError.contains("is not empty"), "\(refused.standardError)")
    #expect(!refused.combined.contains(try TestServices.superuserURL().split(separator: ":")[2].prefix(8)))
    await fixture.remove()
  }
}

/// SIGTERM while a verification restores: the scratch cluster is stopped and removed.
struct VerifyInterruptionTests {
  @Test func sigtermDuringVerifyRemovesTheScratchClusterAndExits143() async throws {
    let fixture = try await BackupFixture.make("verifyterm")
    #expect(try await fixture.run(["backup"]).status == 0)
    // The download crawls through a proxy, so the verification is mid-restore when stopped.
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 5_000
    try fixture.writePolicy(endpoint: proxy.endpoint)
    let temporary = TemporaryDirectory.unique("dr-verify-term")
    var environment = try fixture.environment()
    environment["TMPDIR"] = temporary
    let dr = try ChildProcess(DRBinary.path, ["verify", "--policy", fixture.policyFile], environment: environment)
    var cluster: String?
    _ = try await eventually(limit: .seconds(120), every: .milliseconds(50)) {
      let entries = try FileManager.default.contentsOfDirectory(atPath: temporary)
      if let dir = entries.first(where: { $0.hasPrefix("dr-scratch-") }),
        ProcessTree.scratchServer(in: "\(temporary)/\(dir)") != nil
      {
        cluster = "\(temporary)/\(dir)"
      }
      return cluster != nil
    }
    let directory = try #require(cluster, "the scratch cluster never started")
    let postmaster = try #require(ProcessTree.scratchServer(in: directory))
    try await Task.sleep(for: .milliseconds(500))
    kill(dr.pid, SIGTERM)
    #expect(await dr.wait() == .exited(143), "\(dr.standardError)")
    #expect(dr.standardError.contains("interrupted by SIGTERM"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    #expect(kill(postmaster, 0) != 0 || ProcessTree.state(of: postmaster) == "Z", "the scratch server must be stopped")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint())
    var tally = FaultTally("SIGTERM during verify (local scratch cluster)")
    tally.faults = 1
    try await EndState(fixture, temporary: temporary).check(tally)
    await fixture.remove()
  }
}

/// `verify.scratch_url`: a scratch database on a given server, dropped afterwards.
struct VerifyOnServerTests {
  @Test(.scratchServerGate) func aScratchDatabaseIsMadeAndDropped() async throws {
    let extra = "verify:\n  scratch_url: \"\(try TestServices.superuserURL())\"\n"
    let fixture = try await BackupFixture.make("scratchurl")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: extra)
    #expect(try await fixture.run(["backup"]).status == 0)
    let verified = try await fixture.run(["verify", "--json"])
    #expect(verified.status == 0, "\(verified.combined)")
    let object = try verified.jsonObject()
    #expect(object["scratch"] as? String == "server")
    #expect(object["outcome"] as? String == "passed")
    // Other tests make scratch databases on the same server at the same time, so the
    // check is on the one this verification named, not on a count.
    let named = try #require(
      verified.standardError.firstMatch(of: /scratch database (dr_verify_[a-z0-9_]+) on/)?.1,
      "\(verified.standardError)")
    #expect(!(try await TestDatabases.exists(String(named))), "the scratch database \(named) must be dropped")
    await fixture.remove()
  }
}
