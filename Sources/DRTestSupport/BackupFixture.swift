import DRPostgres
import DRS3
import Foundation

/// A database owned by the password user, a bucket, and a policy file pointing at them
/// (directly, or through a fault proxy), for end-to-end runs of `dr` and for the libraries
/// below it (`policy()`, `storage(_:)`, `backUp()`).
public struct BackupFixture: Sendable {
  /// The policy's name and storage prefix: the fixture's objects live under
  /// `prefix/backup-test/` (`layout`).
  public static let policyName = "backup-test"
  public static let storagePrefix = "prefix/"

  public let database: String
  public let bucket: String
  public let directory: String
  public let client: S3Client
  /// The policy's compression: level 1 where a large database must back up quickly.
  public var compression = "{codec: bzip2, level: 9, threads: 2}"

  /// `large`: about 130 MB of barely compressible rows (copied from a template made once
  /// per test run), so a backup runs long enough to be interrupted midway.
  /// `fillerRows`: rows of ~100 bytes in `public.filler` (a small database has none).
  public static func make(
    _ label: String, large: Bool = false, endpoint: String? = nil, fillerRows: Int = 0, compression: String? = nil
  ) async throws -> BackupFixture {
    let suffix = UUID().uuidString.prefix(8).lowercased()
    var fixture = BackupFixture(
      database: "dr_\(label)_\(suffix)", bucket: "dr-\(label)-\(suffix)",
      directory: TemporaryDirectory.unique("dr-backup-\(label)"), client: try TestS3.client())
    if let compression { fixture.compression = compression }
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    if large {
      let template = try await LargeTemplate.shared.name()
      _ = try await admin.query("CREATE DATABASE \(fixture.database) TEMPLATE \(template) OWNER dr_user")
    } else {
      _ = try await admin.query("CREATE DATABASE \(fixture.database) OWNER dr_user")
      let owner = try await PGConnection.connect(try fixture.userURL(withPassword: true))
      _ = try await owner.query(Self.schema(fillerRows: fillerRows))
    }
    try await fixture.client.createBucket(fixture.bucket)
    try fixture.writePolicy(endpoint: try endpoint ?? TestServices.s3Endpoint())
    return fixture
  }

  /// Several schemas, quoted names, a partitioned table, and optional incompressible filler.
  public static func schema(fillerRows: Int) -> String {
    """
    CREATE SCHEMA sales;
    CREATE SCHEMA "Audit Log";
    CREATE TABLE sales.orders (id int PRIMARY KEY, note text);
    INSERT INTO sales.orders SELECT n, 'order ' || n FROM generate_series(1, 2000) n;
    CREATE TABLE "Audit Log"."Events" (id bigserial PRIMARY KEY, payload jsonb);
    INSERT INTO "Audit Log"."Events" (payload) SELECT jsonb_build_object('n', n) FROM generate_series(1, 500) n;
    CREATE TABLE public.measurements (id int, at date) PARTITION BY RANGE (at);
    CREATE TABLE public.measurements_2025 PARTITION OF public.measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE TABLE public.measurements_2026 PARTITION OF public.measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
    INSERT INTO public.measurements SELECT n, date '2025-06-01' + n FROM generate_series(1, 500) n;
    CREATE TABLE public.filler (id int, data text);
    INSERT INTO public.filler SELECT n, md5(n::text) || md5((n * 7)::text) || md5((n * 13)::text)
      FROM generate_series(1, \(fillerRows)) n;
    """
  }

  /// The rows `schema` puts in each table (what a restore of the fixture must hold).
  public static let schemaRows = [
    "sales.orders": 2_000, "\"Audit Log\".\"Events\"": 500, "public.measurements": 500,
  ]

  /// A check for the policy's `verify:` that passes on the fixture's data.
  public static let ordersCheck = """
    verify:
      checks:
        - {name: orders exist, sql: "SELECT count(*) = 2000 FROM sales.orders"}

    """

  /// The password user's URL of `database` (its password as a query parameter when asked).
  public static func userURL(database: String, withPassword: Bool = false) throws -> String {
    let base = try TestServices.userURL().replacingOccurrences(of: "/dr_test", with: "/\(database)")
    return withPassword ? base + "?password=\(try TestServices.userPassword())" : base
  }

  public func userURL(withPassword: Bool = false) throws -> String {
    try Self.userURL(database: database, withPassword: withPassword)
  }

  /// The password user's URL with `${DR_TEST_PG_USER_PASSWORD}` as its password, for a
  /// policy loaded in the test process (libpq there has no PGPASSWORD).
  public func userURLWithPasswordVariable() throws -> String {
    try userURL().replacingOccurrences(of: "dr_user@", with: "dr_user:${DR_TEST_PG_USER_PASSWORD}@")
  }

  public var policyFile: String { "\(directory)/policy.yaml" }

  public static let defaultBackup = "{compression: {codec: bzip2, level: 9, threads: 2}, globals: true}"

  /// `backup` is the policy's `backup:` mapping (encryption goes there); `extra`, more keys;
  /// `databases`, the value of `database.databases` (YAML).
  public func writePolicy(
    endpoint: String, extra: String = "", backup: String? = nil, databaseURL: String? = nil, bucket: String? = nil,
    databases: String? = nil
  ) throws {
    let text = """
      name: \(Self.policyName)
      database: {url: "\(try databaseURL ?? userURL())"\(databases.map { ", databases: \($0)" } ?? "")}
      storage: {url: "s3://\(bucket ?? self.bucket)/\(Self.storagePrefix)", endpoint: "\(endpoint)", region: us-east-1}
      backup: \(backup ?? "{compression: \(compression), globals: true}")

      """ + extra
    try text.write(toFile: policyFile, atomically: true, encoding: .utf8)
  }

  /// Lets the spare RGW user (dr-spare) read the bucket and write run records there, as
  /// a failover environment's credentials need.
  public func allowSpareUser() async throws {
    let policy = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/dr-spare"]},
      "Action":["s3:GetObject","s3:ListBucket","s3:PutObject"],
      "Resource":["arn:aws:s3:::\(bucket)","arn:aws:s3:::\(bucket)/*"]}]}
      """
    try await client.putBucketPolicy(bucket, policy: policy)
  }

  public func remove() async {
    await TestDatabases.drop(database)
    await TestS3.remove(client, bucket)
    try? FileManager.default.removeItem(atPath: directory)
  }
}
