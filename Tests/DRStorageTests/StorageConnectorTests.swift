import DRPolicy
import DRS3
import DRStorage
import DRTestSupport
import Foundation
import Testing

/// `StorageConnector` against the real RGW: a policy's storage connected with keys from the
/// environment, from a profile in a shared credentials file, with its write options (storage
/// class, Object Lock); a region nobody gives, a profile the files lack, a missing bucket.
struct StorageConnectorTests {
  /// The storage settings of a policy whose storage is `storage` (the keys of its mapping).
  func settings(_ storage: String, more: String = "") throws -> Policy {
    try PolicyLoader(environment: ProcessInfo.processInfo.environment).parse(
      yaml: """
        name: storage-test
        database: {url: "postgresql://u@127.0.0.1:1/db"}
        storage: {\(storage)}
        \(more)

        """, file: "storage-test.yaml")
  }

  /// The test process's environment without AWS keys, region, profile or shared files: a
  /// connector sees only what a test gives it.
  func bareEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    environment["HOME"] = TemporaryDirectory.unique("dr-storage-home")
    for (name, value) in extra { environment[name] = value }
    return environment
  }

  func endpoint() throws -> String { try TestServices.s3Endpoint() }

  /// Asserted: the keys come from AWS_ACCESS_KEY_ID (and say so), the region and endpoint
  /// from the policy, the location is the policy's; an object written through the client
  /// lists under the prefix.
  @Test func keysFromTheEnvironmentReachThePolicysBucket() async throws {
    let client = try TestS3.client()
    try await TestS3.withBucket(client, "storage-env") { bucket in
      let policy = try settings("url: \"s3://\(bucket)/p/\", endpoint: \"\(try endpoint())\", region: us-east-1")
      let environment = bareEnvironment([
        "AWS_ACCESS_KEY_ID": try TestServices.accessKeyID(),
        "AWS_SECRET_ACCESS_KEY": try TestServices.secretAccessKey(),
      ])
      let storage = try await StorageConnector(environment: environment).connect(policy.storage)
      #expect(storage.access.credentialsSource == "environment (AWS_ACCESS_KEY_ID)")
      #expect(storage.access.region == "us-east-1" && storage.access.regionSource == "the policy")
      #expect(storage.access.endpoint == (try endpoint()) && storage.access.endpointSource == "the policy")
      #expect(storage.bucket == bucket && storage.prefix == "p/")
      #expect(storage.putOptions == S3PutOptions())
      try await storage.client.putObject(bucket: bucket, key: "p/written", body: [1, 2, 3])
      #expect(try await client.listAllObjects(bucket: bucket, prefix: "p/").map(\.key) == ["p/written"])
    }
  }

  /// Injected: no keys in the environment; the policy names a profile of a shared
  /// credentials file (`AWS_SHARED_CREDENTIALS_FILE`) that holds the test user's keys, and
  /// then one the file does not have. Asserted: the first lists the bucket, naming the
  /// profile and file as the source; the second fails naming the profile.
  @Test func keysFromAProfileFileAndAProfileTheFileLacks() async throws {
    let client = try TestS3.client()
    let directory = TemporaryDirectory.unique("dr-storage-profile")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = "\(directory)/credentials"
    try """
    [production]
    aws_access_key_id = \(try TestServices.accessKeyID())
    aws_secret_access_key = \(try TestServices.secretAccessKey())

    """.write(toFile: file, atomically: true, encoding: .utf8)
    let environment = bareEnvironment(["AWS_SHARED_CREDENTIALS_FILE": file])
    try await TestS3.withBucket(client, "storage-profile") { bucket in
      let location = "url: \"s3://\(bucket)/p/\", endpoint: \"\(try endpoint())\", region: us-east-1"
      let policy = try settings(location + ", credentials: {profile: production}")
      let storage = try await StorageConnector(environment: environment).connect(policy.storage)
      #expect(storage.access.credentialsSource == "profile production (\(file))")
      #expect(try await storage.client.listObjects(bucket: bucket, prefix: "p/").objects.isEmpty)

      let absent = try settings(location + ", credentials: {profile: elsewhere}")
      let error = await #expect(throws: CredentialsError.self) {
        _ = try await StorageConnector(environment: environment).connect(absent.storage)
      }
      #expect("\(error.map { "\($0)" } ?? "")".contains("AWS profile 'elsewhere' (named by the policy)"))
    }
  }

  /// Asserted: with `storage_class` and `retention.lock`, every write carries them: an
  /// object written with the storage's options is retained in governance mode for a day,
  /// in the class the policy names.
  @Test func writeOptionsCarryTheStorageClassAndObjectLock() async throws {
    let client = try TestS3.client()
    let bucket = "dr-storage-lock-\(UUID().uuidString.prefix(8).lowercased())"
    try await client.createBucketWithObjectLock(bucket)
    let policy = try settings(
      "url: \"s3://\(bucket)/p/\", endpoint: \"\(try endpoint())\", region: us-east-1, storage_class: STANDARD_IA",
      more: "retention: {keep_last: 1, lock: {mode: governance, days: 1}}")
    let lock = try #require(policy.retention?.lock)
    let storage = try await StorageConnector().connect(policy.storage, objectLock: lock)
    #expect(storage.putOptions.storageClass == "STANDARD_IA")
    #expect(storage.putOptions.objectLock?.mode == .governance)
    let until = try #require(storage.putOptions.objectLock?.retainUntil)
    #expect(until > Date().addingTimeInterval(23 * 3600) && until < Date().addingTimeInterval(25 * 3600), "\(until)")

    try await storage.client.putObject(bucket: bucket, key: "p/locked", body: [7], options: storage.putOptions)
    let head = try #require(try await client.headObject(bucket: bucket, key: "p/locked"))
    #expect(head.lockMode == "GOVERNANCE")
    #expect(
      (head.lockRetainUntil ?? .distantPast) > Date().addingTimeInterval(23 * 3600), "\(String(describing: head))")
    #expect(head.storageClass == "STANDARD_IA", "\(String(describing: head))")
    let version = try #require(head.versionID)
    await #expect(throws: S3Error.self) {
      try await client.deleteObjectVersion(bucket: bucket, key: "p/locked", versionID: version)
    }
    try await client.deleteObjectVersion(bucket: bucket, key: "p/locked", versionID: version, bypassGovernance: true)
    try await client.deleteBucket(bucket)
  }

  /// Injected: neither the policy nor the environment gives a region, and the policy's bucket
  /// does not exist. Asserted: the region falls back to us-east-1 and says so, the client
  /// still signs requests the RGW accepts, and listing the missing bucket fails with
  /// NoSuchBucket and what to do.
  @Test func aMissingRegionFallsBackAndAMissingBucketSaysWhatToDo() async throws {
    let bucket = "dr-storage-absent-\(UUID().uuidString.prefix(8).lowercased())"
    let policy = try settings("url: \"s3://\(bucket)/p/\", endpoint: \"\(try endpoint())\"")
    let environment = bareEnvironment([
      "AWS_ACCESS_KEY_ID": try TestServices.accessKeyID(), "AWS_SECRET_ACCESS_KEY": try TestServices.secretAccessKey(),
    ])
    let storage = try await StorageConnector(
      environment: environment, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05)
    )
    .connect(policy.storage)
    #expect(storage.access.region == "us-east-1")
    #expect(storage.access.regionSource == "the default")
    let error = await #expect(throws: S3Error.self) {
      _ = try await storage.client.listObjects(bucket: bucket, prefix: "p/")
    }
    #expect(error?.code == "NoSuchBucket", "\(String(describing: error))")
    #expect(error?.description.contains("Create the bucket") == true, "\(String(describing: error))")
  }
}
