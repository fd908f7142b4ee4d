import DRCore
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// A database that is hard to restore (quoted and unicode names, enums, domains, arrays,
/// jsonb, bytea, partitions, big sequences, foreign keys, a materialized view, triggers,
/// large objects, roles owning objects, grants): dr backs it up, verifies it, and restores
/// it into a fresh cluster where it matches the source, content and ownership.
struct HardRestoreTests {
  @Test func backupVerifyAndRestoreKeepEverything() async throws {
    let name = "dr_hard_\(UUID().uuidString.prefix(8).lowercased())"
    // A database owned by a role of its own, so that keeping its owner means something.
    let owner = name + "_dbo"
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE ROLE \(owner) LOGIN")
    let hard = try await HardDatabase.create(name: name, owner: owner)
    let client = try TestS3.client()
    let bucket = try await TestS3.bucket(client, "hard")
    let directory = TemporaryDirectory.unique("dr-hard")
    let policy = "\(directory)/policy.yaml"
    try """
    name: hard
    database: {url: "\(hard.url)"}
    storage: {url: "s3://\(bucket)/", endpoint: "\(try TestServices.s3Endpoint())", region: us-east-1}
    """.write(toFile: policy, atomically: true, encoding: .utf8)
    let source = try await DatabaseFingerprint.take(hard.url)

    let backup = try await DRBinary.run(["backup", "--policy", policy])
    #expect(backup.status == 0, "\(backup.combined)")
    let verify = try await DRBinary.run(["verify", "--policy", policy])
    #expect(verify.status == 0, "\(verify.combined)")
    #expect(verify.standardOutput.contains("PASSED"))

    try await TestCluster.with(binDirectory: try TestServices.require("DR_TEST_PG_BINDIR")) { cluster in
      let target = "postgresql://postgres@/\(name)?host=\(cluster.directory)&port=\(cluster.port)"
      let restore = try await DRBinary.run(["restore", "--policy", policy, "--target", target])
      #expect(restore.status == 0, "\(restore.combined)")
      let restored = try await DatabaseFingerprint.take(target)
      // Database-level settings (ALTER DATABASE SET, its comment and grants) live outside
      // the database's objects: pg_restore applies them only with --create.
      let differences = restored.differences(from: source, ignoring: [.databaseProperties])
      #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
      // The database itself keeps its owner (a bare CREATE DATABASE would give it to postgres).
      #expect(restored.facts["database owner"]?.value == source.facts["database owner"]?.value)
      #expect(restored.facts["database owner"]?.value == owner)
    }
    try await hard.drop()
    _ = try await admin.query("DROP ROLE IF EXISTS \(owner)")
    await TestS3.remove(client, bucket)
  }
}
