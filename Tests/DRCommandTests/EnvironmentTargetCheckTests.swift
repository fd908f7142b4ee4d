import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `dr check --env` looks at the failover's restore target the way the restore will use
/// it: for the local driver, the programs it will start (their major, the extensions their
/// installation offers, the state directory's free space).
struct EnvironmentTargetCheckTests {
  /// A PostgreSQL 17 dump needing pgcrypto. With 17's programs on DR_PG_BINDIR the local
  /// failover runs 17, which has pgcrypto: every target finding is ok. With 18's alone it
  /// runs 18, whose build lacks pgcrypto: that finding fails with the package, the check
  /// exits 1, and nothing of the environment is made.
  @Test func theLocalFailoversProgramsAreCheckedForTheDumpsExtensions() async throws {
    let port = try LoopbackPort.free()
    let fixture = try await VersionFixture.make(
      "envtarget", on: 17,
      extra: """
        stack:
          postgresql: {port: \(port)}
        environments:
          failover: {}

        """)
    _ = try await PGConnection.connect(fixture.server.superuserURL(database: fixture.database)).query(
      "CREATE EXTENSION pgcrypto")
    let (id, _) = try await fixture.backup()
    // Verified, so that the check's other lines pass and the target's findings decide.
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    let state = TemporaryDirectory.unique("dr-envtarget-state")

    let fits = try await fixture.run(["check", "--env", "failover", "--json"], ["DR_STATE_DIR": state])
    let fitting = try Self.target(fits)
    #expect(fitting["server"]?.status == "ok", "\(fitting)")
    #expect(fitting["server"]?.detail.contains("runs PostgreSQL 17.") == true, "\(fitting)")
    #expect(fitting["extension:pgcrypto"]?.status == "ok", "\(fitting)")
    #expect(fitting["roles"]?.status == "ok" && fitting["free_space"]?.status == "ok", "\(fitting)")
    #expect(fitting.values.allSatisfy { $0.status == "ok" }, "\(fitting)")
    #expect(fits.status == 0, "\(fits.combined)")

    let eighteen = try VersionServer.major(18).bindir
    let lacking = try await fixture.run(
      ["check", "--env", "failover", "--json"], ["DR_STATE_DIR": state, "DR_PG_BINDIR": eighteen])
    #expect(lacking.status == 1, "\(lacking.combined)")
    let found = try Self.target(lacking)
    #expect(found["server"]?.status == "ok" && found["server"]?.detail.contains("18.") == true, "\(found)")
    #expect(found["extension:pgcrypto"]?.status == "fail", "\(found)")
    #expect(found["extension:pgcrypto"]?.detail.contains(eighteen) == true, "\(found)")
    #expect(found["extension:pgcrypto"]?.fix?.contains("postgresql-18") == true, "\(found)")
    let human = try await fixture.run(
      ["check", "--env", "failover"], ["DR_STATE_DIR": state, "DR_PG_BINDIR": eighteen])
    #expect(human.standardOutput.contains("FAIL extension:pgcrypto"), "\(human.standardOutput)")
    #expect(!FileManager.default.fileExists(atPath: "\(state)/\(VersionFixture.policyName)-failover/pgdata"))
    try? FileManager.default.removeItem(atPath: state)
    await fixture.remove()
  }

  /// The `target` findings of `dr check --env --json`, by check.
  static func target(_ result: DRBinary.Result) throws -> [String: RestoreDryRunTests.Finding] {
    let list = try result.jsonObject()["target"] as? [[String: Any]] ?? []
    var byCheck: [String: RestoreDryRunTests.Finding] = [:]
    for item in list {
      guard let check = item["check"] as? String, let status = item["status"] as? String else { continue }
      byCheck[check] = .init(status: status, detail: item["detail"] as? String ?? "", fix: item["fix"] as? String)
    }
    return byCheck
  }
}
