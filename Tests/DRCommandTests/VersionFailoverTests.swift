import DRCore
import DRTestSupport
import Foundation
import Testing

/// The failover of a PostgreSQL 17 dump with the local driver: the plan and `dr check --env`
/// name the dump's major and the server the environment will run, a host without programs of
/// 17 or newer fails the plan naming the package, and the failover runs a cluster of 17.
struct VersionFailoverTests {
  @Test func aFailoverOfA17DumpRunsA17ClusterAndSaysWhichWithoutItsProgramsItFails() async throws {
    let port = try LoopbackPort.free()
    let fixture = try await VersionFixture.make(
      "failover", on: 17,
      extra: """
        stack:
          postgresql: {port: \(port)}
        environments:
          failover: {}

        """)
    let (id, _) = try await fixture.backup()
    let state = TemporaryDirectory.unique("dr-versions-state")
    let bindir = fixture.server.bindir

    // With 17 on DR_PG_BINDIR: the plan names the dump's major and the 17 installation.
    let plan = try await fixture.run(["plan", "--env", "failover", "--json"], ["DR_STATE_DIR": state])
    #expect(plan.status == 0, "\(plan.combined)")
    let planned = try plan.jsonObject()
    #expect((planned["backup"] as? [String: Any])?["dump_major"] as? Int == 17, "\(planned)")
    let server = planned["server"] as? [String: Any] ?? [:]
    #expect(server["major"] as? Int == 17 && server["source"] as? String == bindir, "\(server)")
    let check = try await fixture.run(["check", "--env", "failover", "--json"], ["DR_STATE_DIR": state])
    let line = try Self.postgresqlCheck(check)
    #expect(line["status"] as? String == "ok", "\(line)")
    #expect((line["detail"] as? String)?.contains("the dump is PostgreSQL 17") == true, "\(line)")
    #expect((line["detail"] as? String)?.contains("will run PostgreSQL 17.") == true, "\(line)")

    // Without it (Debian's 15 alone): the plan fails naming the package; the check says so.
    let bare: [String: String?] = ["DR_STATE_DIR": state, "DR_PG_BINDIR": nil]
    let refused = try await fixture.run(["plan", "--env", "failover"], bare)
    #expect(refused.status == 1, "\(refused.combined)")
    #expect(refused.standardError.contains("a dump of PostgreSQL 17"), "\(refused.standardError)")
    #expect(refused.standardError.contains("install postgresql-17"), "\(refused.standardError)")
    let failed = try Self.postgresqlCheck(try await fixture.run(["check", "--env", "failover", "--json"], bare))
    #expect(failed["status"] as? String == "failed", "\(failed)")
    #expect((failed["detail"] as? String)?.contains("install postgresql-17") == true, "\(failed)")
    #expect(!FileManager.default.fileExists(atPath: "\(state)/\(VersionFixture.policyName)-failover/pgdata"))

    // The failover itself runs a cluster of 17 and restores the dump into it.
    let failover = try await fixture.run(["restore", "--env", "failover", "--yes", "--json"], ["DR_STATE_DIR": state])
    #expect(failover.status == 0, "\(failover.combined)")
    let cluster = "\(state)/\(VersionFixture.policyName)-failover/pgdata"
    let version = try String(contentsOfFile: "\(cluster)/PG_VERSION", encoding: .utf8)
    #expect(version.trimmingCharacters(in: .whitespacesAndNewlines) == "17", "backup \(id)")
    let down = try await fixture.run(["down", "--env", "failover", "--purge"], ["DR_STATE_DIR": state])
    #expect(down.status == 0, "\(down.combined)")
    try? FileManager.default.removeItem(atPath: state)
    await fixture.remove()
  }

  /// The `postgresql` line of `dr check --env --json`.
  static func postgresqlCheck(_ result: DRBinary.Result) throws -> [String: Any] {
    let checks = try result.jsonObject()["checks"] as? [[String: Any]] ?? []
    return try #require(checks.first { $0["name"] as? String == "postgresql" }, "\(result.combined)")
  }
}
