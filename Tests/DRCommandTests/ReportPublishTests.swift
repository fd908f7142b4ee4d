import DRBackup
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `dr report` stores a copy in the bucket only with `--publish`, and `dr prune` applies
/// the policy's retention to the published reports, keeping every one when it cannot be
/// sure (a listing refused, a key it does not recognise).
struct ReportPublishTests {
  static func reportKeys(_ fixture: BackupFixture) async throws -> [String] {
    try await fixture.keys(under: fixture.layout.reportsPrefix).sorted()
  }

  @Test func aReportIsStoredOnlyWhenPublished() async throws {
    let fixture = try await BackupFixture.make("publish")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint())
    for format in ["md", "html", "json"] {
      let report = try await fixture.run(["report", "--format", format])
      #expect(report.status == 0, "\(report.combined)")
      #expect(!report.standardOutput.isEmpty)
    }
    #expect(try await Self.reportKeys(fixture).isEmpty, "no --publish: nothing written to the bucket")
    let published = try await fixture.run(["report", "--format", "md", "--publish"])
    #expect(published.status == 0, "\(published.combined)")
    let keys = try await Self.reportKeys(fixture)
    let prefix = fixture.layout.reportsPrefix
    let dated = keys.filter { $0.hasPrefix(prefix + "report-") && $0.hasSuffix("Z.md") }
    #expect(dated.count == 1, "one dated report: \(keys)")
    #expect(keys == (dated + [prefix + "latest.md"]).sorted(), "and its latest.md alias, nothing else: \(keys)")
    #expect(try await fixture.object(dated[0]) == Array(published.standardOutput.utf8.dropLast()))
    // The name it was given is one prune reads back: kept (the newest), and prune succeeds.
    let pruned = try await fixture.run(["prune", "--json"])
    #expect(pruned.status == 0, "\(pruned.combined)")
    #expect(try await Self.reportKeys(fixture) == keys)
    await fixture.remove()
  }

  /// Reports of five times, two a day apart at most kept by `keep_last: 2`: the three older
  /// ones go, `latest.*` stays.
  @Test func pruneAppliesTheRetentionToPublishedReports() async throws {
    let fixture = try await BackupFixture.make("reportprune")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 2}\n")
    let prefix = fixture.layout.reportsPrefix
    let stamps = ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z", "20260104T000000Z", "20260105T000000Z"]
    let written = stamps.map { prefix + "report-\($0).md" } + [prefix + "report-20260105T000000Z.html"]
    for key in written + [prefix + "latest.md", prefix + "latest.html"] {
      try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: Array("report".utf8))
    }
    let dry = try await fixture.run(["prune", "--dry-run", "--json"])
    #expect(dry.status == 0, "\(dry.combined)")
    #expect(try await Self.reportKeys(fixture).count == 8, "a dry run deletes nothing")

    let pruned = try await fixture.run(["prune", "--json"])
    #expect(pruned.status == 0, "\(pruned.combined)")
    let reports = try #require(try pruned.jsonObject()["reports"] as? [String: Any])
    let gone = stamps.prefix(3).map { prefix + "report-\($0).md" }
    #expect((reports["removed"] as? [String])?.sorted() == gone.sorted(), "\(reports)")
    #expect(
      try await Self.reportKeys(fixture)
        == [
          prefix + "latest.html", prefix + "latest.md", prefix + "report-20260104T000000Z.md",
          prefix + "report-20260105T000000Z.html", prefix + "report-20260105T000000Z.md",
        ])
    await fixture.remove()
  }

  /// A key under reports/ that dr does not write: nothing is deleted, it is named, exit 1.
  @Test func anUnrecognisedReportKeyKeepsEveryReport() async throws {
    let fixture = try await BackupFixture.make("reportodd")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 1}\n")
    let prefix = fixture.layout.reportsPrefix
    let keys = [prefix + "report-20260101T000000Z.md", prefix + "report-20260102T000000Z.md", prefix + "notes.txt"]
    for key in keys { try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: [1]) }
    var tally = FaultTally("a published-reports folder holding a key dr does not write")
    tally.faults += 1
    let pruned = try await fixture.run(["prune", "--json"])
    #expect(pruned.status == 1, "\(pruned.combined)")
    let object = try pruned.jsonObject()
    #expect(object["outcome"] as? String == "failed")
    #expect((object["error"] as? [String: Any])?["code"] as? String == "prune.failed", "\(pruned.standardOutput)")
    let problems = (object["reports"] as? [String: Any])?["problems"] as? [String] ?? []
    #expect(problems.contains { $0.contains("notes.txt") }, "\(problems)")
    let left = try await Self.reportKeys(fixture)
    tally.destroyed = keys.count - left.count
    #expect(left == keys.sorted(), "every report kept")
    await FaultLedger.record(tally)
    await fixture.remove()
  }

  /// The reports' listing is refused (403 on the list of reports/ only): every report is
  /// kept, the backups' own pruning still runs, and prune exits 1 saying why.
  @Test func aRefusedListingKeepsEveryReport() async throws {
    let fixture = try await BackupFixture.make("reportlist")
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    try fixture.writePolicy(endpoint: proxy.endpoint, extra: "retention: {keep_last: 1}\n")
    let prefix = fixture.layout.reportsPrefix
    let keys = [prefix + "report-20260101T000000Z.md", prefix + "report-20260102T000000Z.md"]
    for key in keys { try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: [1]) }
    var tally = FaultTally("the published reports' listing refused")
    _ = proxy.injectHTTPFault(
      .respond(.s3Error(status: 403, reason: "Forbidden", code: "AccessDenied", message: "no listing here")),
      budget: .always, filter: .init(method: "GET", queryContains: "reports"))
    let pruned = try await fixture.run(["prune", "--json"], ["DR_S3_RETRY_ATTEMPTS": "1"])
    tally.faults = proxy.counters.faultsInjected
    proxy.clearFaults()
    #expect(pruned.status == 1, "\(pruned.combined)")
    let object = try pruned.jsonObject()
    let problems = (object["reports"] as? [String: Any])?["problems"] as? [String] ?? []
    #expect(problems.contains { $0.contains("could not be listed") }, "\(pruned.standardOutput)")
    #expect(tally.faults >= 1)
    let left = try await Self.reportKeys(fixture)
    tally.destroyed = keys.count - left.count
    #expect(left == keys.sorted(), "every report kept")
    await FaultLedger.record(tally)
    await fixture.remove()
  }
}
