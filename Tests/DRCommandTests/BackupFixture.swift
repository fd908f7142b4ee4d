import DRCore
import DRHTTP
import DRPostgres
import DRS3
import DRTestSupport
import Foundation

/// A database owned by the password user, a bucket, and a policy file pointing at them
/// (directly, or through a fault proxy), for end-to-end runs of `dr backup`.
struct BackupFixture {
  let database: String
  let bucket: String
  let directory: String
  let client: S3Client
  /// The policy's compression: level 1 where a large database must back up quickly.
  var compression = "{codec: bzip2, level: 9, threads: 2}"

  /// `large`: about 130 MB of barely compressible rows (copied from a template made once
  /// per test run), so a backup runs long enough to be interrupted midway.
  /// `fillerRows`: rows of ~100 bytes in `public.filler` (a small database has none).
  static func make(
    _ label: String, large: Bool = false, endpoint: String? = nil, fillerRows: Int = 0, compression: String? = nil
  ) async throws -> BackupFixture {
    let suffix = UUID().uuidString.prefix(8).lowercased()
    var fixture = BackupFixture(
      database: "dr_\(label)_\(suffix)", bucket: "dr-\(label)-\(suffix)",
      directory: TemporaryDirectory.unique("dr-backup-\(label)"), client: try directClient())
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

  static func directClient() throws -> S3Client {
    let keys = S3Credentials(
      accessKeyID: try TestServices.accessKeyID(), secretAccessKey: try TestServices.secretAccessKey(), source: "test")
    return S3Client(
      endpoint: try S3Endpoint(url: try TestServices.s3Endpoint(), region: "us-east-1"),
      credentials: StaticCredentialsProvider(keys))
  }

  /// Several schemas, quoted names, a partitioned table, and optional incompressible filler.
  static func schema(fillerRows: Int) -> String {
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

  func userURL(withPassword: Bool = false) throws -> String {
    let base = try TestServices.userURL().replacingOccurrences(of: "/dr_test", with: "/\(database)")
    return withPassword ? base + "?password=\(try TestServices.userPassword())" : base
  }

  var policyFile: String { "\(directory)/policy.yaml" }

  static let defaultBackup = "{compression: {codec: bzip2, level: 9, threads: 2}, globals: true}"

  /// `backup` is the policy's `backup:` mapping (encryption goes there).
  func writePolicy(endpoint: String, extra: String = "", backup: String? = nil) throws {
    let text = """
      name: backup-test
      database: {url: "\(try userURL())"}
      storage: {url: "s3://\(bucket)/prefix/", endpoint: "\(endpoint)", region: us-east-1}
      backup: \(backup ?? "{compression: \(compression), globals: true}")

      """ + extra
    try text.write(toFile: policyFile, atomically: true, encoding: .utf8)
  }

  /// The environment dr runs with: the password user's password, a short retry budget.
  func environment(_ extra: [String: String] = [:]) throws -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["PGPASSWORD"] = try TestServices.userPassword()
    environment["DR_S3_RETRY_SECONDS"] = "3"
    for (name, value) in extra { environment[name] = value }
    return environment
  }

  func run(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> DRBinary.Result {
    try await DRBinary.run(arguments + ["--policy", policyFile], environment: try environment(extra))
  }

  func start(_ arguments: [String]) throws -> ChildProcess {
    try ChildProcess(DRBinary.path, arguments + ["--policy", policyFile], environment: try environment())
  }

  /// Lets the spare RGW user (dr-spare) read the bucket and write run records there, as
  /// a failover environment's credentials need.
  func allowSpareUser() async throws {
    let policy = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/dr-spare"]},
      "Action":["s3:GetObject","s3:ListBucket","s3:PutObject"],
      "Resource":["arn:aws:s3:::\(bucket)","arn:aws:s3:::\(bucket)/*"]}]}
      """
    try await client.putBucketPolicy(bucket, policy: policy)
  }

  /// Every key in the bucket, and the multipart uploads in progress.
  func bucketContents() async throws -> (keys: [String], uploads: Int) {
    let keys = try await client.listAllObjects(bucket: bucket).map(\.key)
    return (keys, try await client.listMultipartUploads(bucket: bucket).count)
  }

  func remove() async {
    let admin = try? await PGConnection.connect(try TestServices.superuserURL())
    _ = try? await admin?.query("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
    let keys = ((try? await client.listAllObjects(bucket: bucket)) ?? []).map(\.key)
    _ = try? await client.deleteObjects(bucket: bucket, keys: keys)
    for upload in (try? await client.listMultipartUploads(bucket: bucket)) ?? [] {
      try? await client.abortMultipartUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID)
    }
    try? await client.deleteBucket(bucket)
    try? FileManager.default.removeItem(atPath: directory)
  }
}

/// The template of large test databases, made once per test run (as the password user,
/// so the copies' tables are readable by it). Concurrent callers share one creation.
actor LargeTemplate {
  static let shared = LargeTemplate()
  private var creation: Task<String, any Error>?

  func name() async throws -> String {
    if let creation { return try await creation.value }
    let creation = Task { try await Self.create() }
    self.creation = creation
    return try await creation.value
  }

  private static func create() async throws -> String {
    let name = "dr_large_template_\(UUID().uuidString.prefix(8).lowercased())"
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE DATABASE \(name) OWNER dr_user")
    let base = try TestServices.userURL().replacingOccurrences(of: "/dr_test", with: "/\(name)")
    do {
      let owner = try await PGConnection.connect(base + "?password=\(try TestServices.userPassword())")
      _ = try await owner.query(BackupFixture.schema(fillerRows: 1_200_000))
    }
    _ = try await admin.query("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false IS_TEMPLATE true")
    return name
  }
}

/// Children of a process, found through /proc (for killing pg_dump in tests).
enum ProcessTree {
  static func children(of pid: pid_t) -> [pid_t] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    return tasks.flatMap { task in
      ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
        .split(separator: " ").compactMap { pid_t($0) }
    }
  }

  static func name(of pid: pid_t) -> String? {
    (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Alive and not a zombie (a test runner that adopts orphans may not reap them).
  static func isRunning(_ pid: pid_t) -> Bool { Daemon.isRunning(pid) }

  /// The state letter of `/proc/PID/stat` (R running, S sleeping, Z zombie...).
  static func state(of pid: pid_t) -> String? { ProcessIdentity.state(of: pid).map(String.init) }

  /// The server of the scratch cluster in `directory`, once it runs: once postmaster.pid
  /// names a positive pid (initdb's bootstrap backend writes one too, with a negative pid,
  /// and the file is briefly empty while written).
  static func scratchServer(in directory: String) -> pid_t? {
    let text = (try? String(contentsOfFile: "\(directory)/data/postmaster.pid", encoding: .utf8)) ?? ""
    return pid_t(text.split(separator: "\n").first ?? "").flatMap { $0 > 0 ? $0 : nil }
  }

  /// The arguments a process was started with.
  static func arguments(of pid: pid_t) -> [String] {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
    return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Waits (at most `limit`) for a child of `pid` named `name` whose arguments include
  /// `argument` (dr also runs `pg_dump --version`, which must not be mistaken for the dump).
  static func waitForChild(
    of pid: pid_t, named name: String, with argument: String = "--format=custom", limit: Duration = .seconds(30)
  ) async -> pid_t? {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      let match = children(of: pid).first { self.name(of: $0) == name && arguments(of: $0).contains(argument) }
      if let child = match { return child }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return nil
  }
}
