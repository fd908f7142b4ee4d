import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A backup role with the least it needs: exactly the grants README gives
/// (`LeastPrivilegeBackupTests.grants`), no superuser.
@Suite(.scenarioGate)
struct LeastPrivilegeBackupTests {
  /// README's grants, for a role `ROLE` with password `PASSWORD`.
  static func grants(role: String, password: String) -> String {
    """
    CREATE ROLE \(role) LOGIN PASSWORD '\(password)';
    GRANT pg_read_all_data TO \(role);
    """
  }

  /// A role made with those grants alone backs up the fixture's database (snapshot, row
  /// counts, pg_dump, pg_dumpall) and the backup verifies. pg_read_all_data reads
  /// pg_authid, so the globals keep role passwords (recorded in the manifest).
  @Test func aRoleWithPgReadAllDataAloneBacksUpAndVerifies() async throws {
    let fixture = try await BackupFixture.make("leastpriv")
    let (role, password) = try await Self.makeRole()
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), databaseURL: try Self.url(fixture, role))
    let backup = try await fixture.run(["backup", "--json"], ["PGPASSWORD": password])
    let id = try BackupFixture.backupID(of: backup)
    let manifest =
      try JSONSerialization.jsonObject(with: Data(try await fixture.object(try fixture.manifestKey(id))))
      as? [String: Any] ?? [:]
    #expect((manifest["database"] as? [String: Any])?["user"] as? String == role, "\(manifest)")
    #expect((manifest["globals"] as? [String: Any])?["role_passwords"] as? Bool == true, "\(manifest)")
    let superuser = try await TestDatabases.value(
      try TestServices.superuserURL(), "SELECT rolsuper FROM pg_roles WHERE rolname = '\(role)'")
    #expect(superuser == "f")
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    #expect(verified.standardOutput.contains("PASSED"), "\(verified.standardOutput)")
    await fixture.remove()
    await Self.dropRole(role)
  }

  /// What pg_read_all_data does not cover: a table under row-level security (the role would
  /// dump fewer rows) and a large object. Each fails the backup naming the grant it needs,
  /// with nothing uploaded; with the grant given, the next backup succeeds.
  @Test func rowSecurityAndLargeObjectsFailTheBackupNamingTheGrant() async throws {
    let fixture = try await BackupFixture.make("leastrls")
    let (role, password) = try await Self.makeRole()
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), databaseURL: try Self.url(fixture, role))
    // A connection per statement: an idle one left open would count as a stray process.
    let owner = try fixture.userURL(withPassword: true)
    var tally = FaultTally("a least-privilege backup role meets row security and a large object")

    _ = try await PGConnection.connect(owner).query("ALTER TABLE sales.orders ENABLE ROW LEVEL SECURITY")
    tally.faults += 1
    let secured = try await fixture.run(["backup"], ["PGPASSWORD": password])
    #expect(secured.status == 1, "\(secured.combined)")
    #expect(secured.standardError.contains("BYPASSRLS"), "\(secured.standardError)")
    #expect(try await fixture.bucketContents().keys.isEmpty)
    _ = try await PGConnection.connect(owner).query("ALTER TABLE sales.orders DISABLE ROW LEVEL SECURITY")

    let oid = try #require(
      try await PGConnection.connect(owner).query("SELECT lo_from_bytea(0, 'x')").first?.first ?? nil)
    tally.faults += 1
    let large = try await fixture.run(["backup"], ["PGPASSWORD": password])
    #expect(large.status == 1, "\(large.combined)")
    #expect(large.standardError.contains("GRANT SELECT ON LARGE OBJECT"), "\(large.standardError)")
    #expect(try await fixture.bucketContents().keys.isEmpty)
    _ = try await PGConnection.connect(owner).query("GRANT SELECT ON LARGE OBJECT \(oid) TO \(role)")

    try await EndState(fixture).check(tally, environment: ["PGPASSWORD": password])
    await fixture.remove()
    await Self.dropRole(role)
  }

  /// A new role with README's grants, and its password.
  static func makeRole() async throws -> (role: String, password: String) {
    let role = TestDatabases.uniqueName("backup")
    let password = UUID().uuidString
    _ = try await PGConnection.connect(try TestServices.superuserURL()).query(grants(role: role, password: password))
    return (role, password)
  }

  /// The fixture's database, as `role` (its password from PGPASSWORD).
  static func url(_ fixture: BackupFixture, _ role: String) throws -> String {
    try fixture.userURL().replacingOccurrences(of: "dr_user@", with: "\(role)@")
  }

  static func dropRole(_ role: String) async {
    let admin = try? await PGConnection.connect(try TestServices.superuserURL())
    _ = try? await admin?.query("DROP OWNED BY \(role); DROP ROLE IF EXISTS \(role)")
  }
}
