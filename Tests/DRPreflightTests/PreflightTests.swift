import DRHTTP
import DRPreflight
import DRTestSupport
import Foundation
import Testing

/// `Preflight` (`dr check`) below the binary, against the real PostgreSQL and RGW: a good
/// policy passes; a wrong bucket, a database that refuses the password and a pg_dump older
/// than the server each fail the one check they concern, with the line that says why.
struct PreflightTests {
  /// The fixture's policy, checked here with the fixture's environment and `extra`.
  func check(_ fixture: BackupFixture, _ extra: [String: String] = [:]) async throws -> PreflightReport {
    await Preflight(policy: try fixture.policy(), environment: try fixture.environment(extra), http: HTTPClient()).run()
  }

  @Test func aGoodPolicyPassesEveryCheck() async throws {
    let fixture = try await BackupFixture.make("libcheck")
    try fixture.writeLibraryPolicy()
    let report = try await check(fixture)
    #expect(report.ok, "\(report.checks)")
    #expect(report.checks.map(\.name) == ["policy", "database", "pg_dump", "compression", "verify", "storage"])
    #expect(report.checks.allSatisfy { $0.status == .ok }, "\(report.checks)")
    let database = report.check("database")
    #expect(database.contains("PostgreSQL 15") && database.contains("/\(fixture.database) as dr_user"), "\(database)")
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    #expect(report.check("pg_dump").contains("\(bindir)/pg_dump for PostgreSQL 15"), "\(report.check("pg_dump"))")
    // lbzip2 is installed here (scripts/lib/packages.sh), so `encoder: auto` takes it.
    #expect(report.check("compression").contains("bzip2 level 9 with lbzip2 (/"), "\(report.check("compression"))")
    let verify = report.check("verify")
    #expect(
      verify.contains("PostgreSQL 15 dumps") && verify.contains("initdb 15.") && verify.contains("in \(bindir) ("))
    let storage = report.check("storage")
    #expect(storage.contains("s3://\(fixture.bucket)/prefix/"), "\(storage)")
    #expect(storage.contains("environment (AWS_ACCESS_KEY_ID)"), "\(storage)")
    await fixture.remove()
  }

  @Test func aBucketThatDoesNotExistFailsTheStorageCheckSayingWhatToDo() async throws {
    let fixture = try await BackupFixture.make("libcheckbucket")
    let absent = fixture.bucket + "-absent"
    try fixture.writeLibraryPolicy(bucket: absent)
    let report = try await check(fixture)
    #expect(!report.ok)
    #expect(report.failed == ["storage"], "\(report.checks)")
    #expect(report.check("storage").contains("NoSuchBucket"), "\(report.check("storage"))")
    #expect(report.check("storage").contains("Create the bucket"), "\(report.check("storage"))")
    await fixture.remove()
  }

  /// The database refuses the policy's password: the pg_dump check cannot know the server's
  /// version and is skipped; the password appears in no line.
  @Test func aDatabaseThatRefusesThePasswordFailsTheDatabaseCheckSayingWhy() async throws {
    let fixture = try await BackupFixture.make("libcheckdb")
    let wrong = "not-the-password-\(UUID().uuidString.prefix(8))"
    try fixture.writeLibraryPolicy(
      databaseURL: try fixture.userURL().replacingOccurrences(of: "dr_user@", with: "dr_user:\(wrong)@"))
    let report = try await check(fixture)
    #expect(report.failed == ["database"], "\(report.checks)")
    #expect(report.check("database").contains("password authentication failed"), "\(report.check("database"))")
    #expect(report.checks.first { $0.name == "pg_dump" }?.status == .skipped)
    #expect(report.check("pg_dump").contains("server version unknown"), "\(report.check("pg_dump"))")
    #expect(!report.checks.contains { $0.detail.contains(wrong) }, "the password was written out")
    await fixture.remove()
  }

  /// `DR_PG_BINDIR` names an installation whose pg_dump is 13.2 (the server is 15): it is
  /// searched first but passed over for the closest one not older, which the line names
  /// with what else was found. (A server newer than every pg_dump is refused:
  /// `VersionMatrixTests`.)
  @Test func aPgDumpOlderThanTheServerIsPassedOverAndTheCheckSaysWhichFits() async throws {
    let fixture = try await BackupFixture.make("libcheckdump")
    try fixture.writeLibraryPolicy()
    let fake = try FakePGDump.directory(version: "13.2")
    defer { try? FileManager.default.removeItem(atPath: fake) }
    let report = try await check(fixture, ["DR_PG_BINDIR": fake])
    #expect(report.ok, "\(report.checks)")
    let line = report.check("pg_dump")
    #expect(line.contains("\(try TestServices.require("DR_TEST_PG_BINDIR"))/pg_dump for PostgreSQL 15"), "\(line)")
    #expect(line.contains("also found: 13.2 at \(fake)"), "\(line)")
    await fixture.remove()
  }
}

extension PreflightReport {
  /// The detail line of the check `name` ("" when there is none).
  func check(_ name: String) -> String { checks.first { $0.name == name }?.detail ?? "" }

  /// The names of the checks that failed.
  var failed: [String] { checks.filter { $0.status == .failed }.map(\.name) }
}
