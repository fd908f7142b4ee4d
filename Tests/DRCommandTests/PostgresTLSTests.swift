import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// PostgreSQL over TLS with `sslmode=verify-full&sslrootcert=PATH` in the URL: a server of
/// the test's own with a certificate made by openssl for 127.0.0.1 and localhost, which
/// refuses TCP connections without TLS, so everything that worked went over verified TLS.
@Suite(.scenarioGate)
struct PostgresTLSTests {
  /// The backup (snapshot session, row counts, pg_dump, pg_dumpall), the verification into
  /// `verify.scratch_url` on the same server (pg_restore, psql, the counts), `dr restore
  /// --target` and its dry run all go over verify-full; a connection without TLS is refused.
  @Test func backupVerifyAndRestoreGoOverVerifiedTLS() async throws {
    let certificates = try await TestCertificates.make()
    let server = try await LoopbackCluster.start(
      binDirectory: try VersionServer.major(15).bindir, tls: certificates.serverTLS)
    let fixture = try await BackupFixture.make("tls")
    try await Self.createSource(fixture.database, on: server)
    let tls = "sslmode=verify-full&sslrootcert=\(certificates.authority)"
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(),
      extra: "verify: {scratch_url: \"\(server.url(database: "postgres", parameters: tls))\"}\n",
      databaseURL: server.url(database: fixture.database, parameters: tls))

    await #expect(throws: PostgresError.self, "TCP without TLS is refused") {
      _ = try await PGConnection.connect(server.url(database: fixture.database, parameters: "sslmode=disable"))
    }
    let id = try await fixture.backup()
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    let target = server.url(database: "restored", parameters: tls)
    let looked = try await fixture.run(["restore", "--target", target, "--backup", id, "--dry-run"])
    #expect(looked.status == 0, "\(looked.combined)")
    let restored = try await fixture.run(["restore", "--target", target, "--backup", id])
    #expect(restored.status == 0, "\(restored.combined)")
    for (table, rows) in BackupFixture.schemaRows {
      #expect(try await TestDatabases.rows(target, table) == rows, "\(table)")
    }
    let check = try await fixture.run(["check"])
    #expect(check.standardOutput.contains("PostgreSQL 15"), "\(check.combined)")
    await fixture.remove()
    await server.destroy()
    certificates.remove()
  }

  /// A wrong CA in `sslrootcert`: the backup fails before anything is uploaded, naming the
  /// certificate's verification; with the right CA the end state is clean and the next
  /// backup succeeds.
  @Test func aWrongCAFailsNamingTheCertificateAndUploadsNothing() async throws {
    let certificates = try await TestCertificates.make()
    let server = try await LoopbackCluster.start(
      binDirectory: try VersionServer.major(15).bindir, tls: certificates.serverTLS)
    let fixture = try await BackupFixture.make("tlsca")
    try await Self.createSource(fixture.database, on: server)
    let endpoint = try TestServices.s3Endpoint()
    try fixture.writePolicy(
      endpoint: endpoint,
      databaseURL: server.url(
        database: fixture.database, parameters: "sslmode=verify-full&sslrootcert=\(certificates.otherAuthority)"))
    var tally = FaultTally("PostgreSQL's certificate signed by another CA than sslrootcert")
    tally.faults = 1
    let refused = try await fixture.run(["backup"])
    #expect(refused.status == 1, "\(refused.combined)")
    #expect(refused.standardError.contains("certificate verify failed"), "\(refused.standardError)")
    #expect(refused.standardError.contains("sslrootcert"), "\(refused.standardError)")
    let contents = try await fixture.bucketContents()
    #expect(contents.keys.isEmpty && contents.uploads == 0, "\(contents)")
    let check = try await fixture.run(["check"])
    #expect(check.status == 1 && check.standardOutput.contains("certificate verify failed"), "\(check.combined)")

    try fixture.writePolicy(
      endpoint: endpoint,
      databaseURL: server.url(
        database: fixture.database, parameters: "sslmode=verify-full&sslrootcert=\(certificates.authority)"))
    try await EndState(fixture).check(tally)
    await fixture.remove()
    await server.destroy()
    certificates.remove()
  }

  /// The fixture's schema in a database of that name on `server`.
  static func createSource(_ database: String, on server: LoopbackCluster) async throws {
    _ = try await server.connect().query("CREATE DATABASE \(SQL.identifier(database))")
    _ = try await server.connect(database: database).query(BackupFixture.schema(fillerRows: 0))
  }
}
