import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Recognisable secrets for the leak scenarios, a database role and bucket that use them,
/// wrappers of the PostgreSQL programs that log their command lines, and the scan of
/// every place a secret could end up.
struct SecretCanaries {
  let suffix = UUID().uuidString.prefix(8).lowercased()
  let databasePassword = "CanaryDbPw" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
  let sessionToken = "CanarySessionToken" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
  let webhookSecret = "CanaryWebhookSecret" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
  let wrongDatabasePassword = "CanaryWrongDbPw" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
  let wrongSecretKey = "CanaryWrongS3Key" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
  let secretKey: String
  let directory = TemporaryDirectory.unique("dr-secrets")

  init() throws {
    secretKey = try TestServices.secretAccessKey()
  }

  var role: String { "dr_canary_\(suffix)" }
  var bucket: String { "dr-canary-\(suffix)" }
  var stateDirectory: String { directory + "/state" }
  var temporary: String { directory + "/tmp" }
  /// `DR_PG_BINDIR`: a wrapper for every program of the server's installation.
  var programs: String { directory + "/bin" }
  /// One line per run of a wrapped program: its name and arguments, as `ps` shows them.
  var commandLines: String { programs + "/command-lines.log" }
  var all: [String] {
    [databasePassword, sessionToken, webhookSecret, wrongDatabasePassword, wrongSecretKey, secretKey]
  }

  /// A role with the canary password that owns a database with the usual schema.
  func makeDatabase() async throws {
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE ROLE \(role) LOGIN CREATEDB PASSWORD '\(databasePassword)'")
    _ = try await admin.query("CREATE DATABASE \(role) OWNER \(role)")
    let owner = try await PGConnection.connect(url(database: role, password: databasePassword))
    _ = try await owner.query(BackupFixture.schema(fillerRows: 1_000))
    for path in [stateDirectory, temporary] {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
  }

  /// In `programs`, a `/bin/sh` wrapper for every executable of `installation` (the test
  /// server's, so the versions fit): it appends its name and arguments to `commandLines`,
  /// then execs the real program (so `initdb` and `pg_ctl` still find `postgres` beside them).
  func makeProgramWrappers(of installation: String) throws {
    try FileManager.default.createDirectory(atPath: programs, withIntermediateDirectories: true)
    // Writable by all: as root, dr runs initdb and pg_ctl as the `postgres` user.
    try Data().write(to: URL(fileURLWithPath: commandLines))
    try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: commandLines)
    let names = try FileManager.default.contentsOfDirectory(atPath: installation).sorted()
    for name in names where FileManager.default.isExecutableFile(atPath: installation + "/" + name) {
      let wrapper = programs + "/" + name
      try """
      #!/bin/sh
      printf '%s\\n' "\(name) $*" >>'\(commandLines)'
      exec '\(installation)/\(name)' "$@"

      """.write(toFile: wrapper, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
    }
  }

  /// The role's URL on the test server, with a password when given.
  func url(database: String, password: String? = nil) throws -> String {
    let port = try TestServices.postgresPort()
    return "postgresql://\(role)\(password.map { ":" + $0 } ?? "")@127.0.0.1:\(port)/\(database)"
  }

  func remove(_ client: S3Client) async {
    for database in [role, role + "_restored"] { await TestDatabases.drop(database) }
    let admin = try? await PGConnection.connect(try TestServices.superuserURL())
    _ = try? await admin?.query("DROP ROLE IF EXISTS \(role)")
    await TestS3.remove(client, bucket)
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// Where a secret was found: outputs, objects (keys and bodies), files under the state
  /// and temporary directories and the programs' (the command-line log). Each place counts once.
  func leaks(outputs: [(String, String)], client: S3Client) async throws -> [String] {
    var found = outputs.filter { _, text in all.contains { text.contains($0) } }.map { "output of \($0.0)" }
    for object in try await client.listAllObjects(bucket: bucket) {
      let body = String(decoding: try await client.getObjectBytes(bucket: bucket, key: object.key), as: UTF8.self)
      if all.contains(where: { body.contains($0) || object.key.contains($0) }) {
        found.append("s3://\(bucket)/\(object.key)")
      }
    }
    for root in [stateDirectory, temporary, programs] {
      for path in FileManager.default.enumerator(atPath: root)?.compactMap({ $0 as? String }) ?? [] {
        guard let data = FileManager.default.contents(atPath: root + "/" + path) else { continue }
        let text = String(decoding: data, as: UTF8.self)
        if all.contains(where: { text.contains($0) || path.contains($0) }) { found.append(root + "/" + path) }
      }
    }
    return found
  }
}
