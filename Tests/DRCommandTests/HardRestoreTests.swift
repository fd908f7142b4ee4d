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

    let backup = try await DRBinary.run(["backup", "--policy", policy, "--json"])
    #expect(backup.status == 0, "\(backup.combined)")
    try await expectProperties(recordedBy: backup, in: bucket, client: client, of: hard, owner: owner)
    // The verification restores them into its scratch database and compares them.
    let verify = try await DRBinary.run(["verify", "--policy", policy, "--json"])
    #expect(verify.status == 0, "\(verify.combined)")
    let summary = try verify.jsonObject()
    #expect(summary["outcome"] as? String == "passed", "\(verify.combined)")
    #expect((summary["failures"] as? [Any])?.isEmpty == true, "\(verify.combined)")
    let notes = summary["notes"] as? [String] ?? []
    #expect(!notes.contains { $0.contains("database") }, "every database property applied and compared: \(notes)")

    try await TestCluster.with(binDirectory: try TestServices.require("DR_TEST_PG_BINDIR")) { cluster in
      let target = "postgresql://postgres@/\(name)?host=\(cluster.directory)&port=\(cluster.port)"
      let restore = try await DRBinary.run(["restore", "--policy", policy, "--target", target])
      #expect(restore.status == 0, "\(restore.combined)")
      let restored = try await DatabaseFingerprint.take(target)
      // Everything, the database's own properties too (owner, encoding and locale, its
      // settings and connection limit, a role's settings in it, its privileges, comment),
      // although pg_restore applies those only with --create: dr applies them itself.
      let differences = restored.differences(from: source)
      #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
      // The database itself keeps its owner (a bare CREATE DATABASE would give it to postgres)
      // and its locale (the new cluster's default is C.UTF-8, the source's C).
      #expect(restored.facts["database owner"]?.value == owner)
      #expect(restored.facts["database encoding and locale"]?.value.hasPrefix("UTF8, collate C, ctype C") == true)
    }
    try await hard.drop()
    _ = try await admin.query("DROP ROLE IF EXISTS \(owner)")
    await TestS3.remove(client, bucket)
  }

  /// The manifest of the backup records the database's own properties, read in its snapshot.
  private func expectProperties(
    recordedBy backup: DRBinary.Result, in bucket: String, client: S3Client, of hard: HardDatabase, owner: String
  ) async throws {
    let id = try BackupFixture.backupID(of: backup)
    let body = try await client.getObjectBytes(bucket: bucket, key: "hard/backups/\(id)/manifest.json")
    let manifest = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    let properties = try #require((manifest["database"] as? [String: Any])?["properties"] as? [String: Any])
    #expect(properties["owner"] as? String == owner)
    #expect(properties["encoding"] as? String == "UTF8" && properties["collate"] as? String == "C")
    #expect(properties["connection_limit"] as? Int == 50)
    #expect(properties["comment"] as? String == "a database that is hard to restore")
    #expect(properties["settings"] as? [String] == ["TimeZone=Asia/Tokyo", #"search_path="Sales Q1", public"#])
    let roles = properties["role_settings"] as? [[String: Any]] ?? []
    #expect(roles.first?["role"] as? String == hard.readerRole && roles.count == 1, "\(roles)")
    let grants = (properties["acl"] as? [[String: Any]] ?? []).map {
      "\($0["grantee"] as? String ?? "PUBLIC") \($0["privilege"] ?? "") by \($0["grantor"] ?? "")"
    }
    #expect(grants.contains("\(hard.readerRole) CREATE by \(hard.ownerRole)"), "\(grants)")
    #expect(grants.contains("PUBLIC CONNECT by \(owner)") && !grants.contains("PUBLIC TEMPORARY by \(owner)"))
  }
}
