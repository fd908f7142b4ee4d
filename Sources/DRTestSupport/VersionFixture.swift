import DRS3
import Foundation

/// A database on the suite's server of one major (`VersionServer`), owned by `dr_user` and
/// holding `BackupFixture.schema`, a bucket, and a policy backing it up as `dr_user`; `dr`
/// runs with that server's password and every major's programs on `DR_PG_BINDIR`.
public struct VersionFixture: Sendable {
  public static let policyName = "versions"

  public let server: VersionServer
  public let database: String
  public let bucket: String
  public let directory: String
  public let client: S3Client

  public var policyFile: String { "\(directory)/policy.yaml" }

  /// `extra`: more keys for the policy (a stack, environments).
  public static func make(_ label: String, on major: Int, extra: String = "") async throws -> VersionFixture {
    let suffix = UUID().uuidString.prefix(8).lowercased()
    let fixture = VersionFixture(
      server: try VersionServer.major(major), database: "dr_\(label)\(major)_\(suffix)",
      bucket: "dr-\(label)\(major)-\(suffix)", directory: TemporaryDirectory.unique("dr-versions-\(label)"),
      client: try TestS3.client())
    try await fixture.server.createDatabase(fixture.database, sql: BackupFixture.schema(fillerRows: 0))
    try await fixture.client.createBucket(fixture.bucket)
    let text = """
      name: \(policyName)
      database: {url: "\(fixture.server.userURL(database: fixture.database))"}
      storage: {url: "s3://\(fixture.bucket)/prefix/", endpoint: "\(try TestServices.s3Endpoint())", region: us-east-1}
      backup: {compression: {codec: bzip2, level: 1, threads: 2}, globals: true}

      """ + extra
    try text.write(toFile: fixture.policyFile, atomically: true, encoding: .utf8)
    return fixture
  }

  /// `dr ARGUMENTS --policy FILE` with the server's password, a short retry budget and
  /// `DR_PG_BINDIR` holding every major's programs (`VersionServer.searchPath`); `extra`
  /// adds or (nil) removes variables.
  public func run(_ arguments: [String], _ extra: [String: String?] = [:]) async throws -> DRBinary.Result {
    var environment: [String: String?] = [
      "PGPASSWORD": server.userPassword, "DR_S3_RETRY_SECONDS": "3", "DR_PG_BINDIR": try VersionServer.searchPath(),
    ]
    for (name, value) in extra { environment[name] = value }
    return try await DRBinary.run(arguments + ["--policy", policyFile], environment: environment)
  }

  /// `dr backup --json` (with `arguments`), which must succeed; its result.
  public func backup(_ arguments: [String] = []) async throws -> (id: String, result: DRBinary.Result) {
    let result = try await run(["backup", "--json"] + arguments)
    return (try BackupFixture.backupID(of: result), result)
  }

  /// The manifest of backup `id`, as JSON.
  public func manifest(_ id: String) async throws -> [String: Any] {
    let key = "prefix/\(Self.policyName)/backups/\(id)/manifest.json"
    let body = try await client.getObjectBytes(bucket: bucket, key: key)
    guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
      throw TestSupportError("the manifest of \(id) is not a JSON object")
    }
    return object
  }

  /// The verification records of backup `id` in the bucket, as JSON.
  public func verificationRecords(_ id: String) async throws -> [[String: Any]] {
    let prefix = "prefix/\(Self.policyName)/verifications/\(id)/"
    var records: [[String: Any]] = []
    for object in try await client.listAllObjects(bucket: bucket, prefix: prefix) {
      let body = try await client.getObjectBytes(bucket: bucket, key: object.key)
      if let record = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] { records.append(record) }
    }
    return records
  }

  public func remove() async {
    await server.drop(database)
    await TestS3.remove(client, bucket)
    try? FileManager.default.removeItem(atPath: directory)
  }
}
