import DRCore
import DRHTTP
import DRTestSupport
import Foundation
import Testing

@testable import DRS3

/// AssumeRole against the real thing: the test Ceph cluster (scripts/services) has a role
/// (`DR_TEST_STS_ROLE_ARN`) the production user may assume, whose policy allows only
/// buckets named `DR_TEST_STS_BUCKET_PREFIX…`; each test starts a gateway of its own on
/// that cluster with STS enabled (`PrivateRadosGateway(sts: true)`). STS calls are counted
/// at a loopback proxy in front of it (POSTs to `/`, which no S3 operation dr makes uses).
@Suite(.serialized)
struct STSRadosGatewayTests {
  enum Configuration: String, CaseIterable, Sendable {
    /// `[profile role]` with `role_arn` and `source_profile` in the shared files.
    case profile
    /// `credentials: {role_arn, source: {access_key_id, secret_access_key}}` in a policy.
    case policy
  }

  struct Buckets {
    let allowed: String
    let denied: String
  }

  static func buckets(_ client: S3Client) async throws -> Buckets {
    let suffix = UUID().uuidString.prefix(8).lowercased()
    let buckets = Buckets(
      allowed: try TestServices.require("DR_TEST_STS_BUCKET_PREFIX") + suffix, denied: "dr-sts-denied-" + suffix)
    for bucket in [buckets.allowed, buckets.denied] {
      try await client.createBucket(bucket)
      try await client.putObject(bucket: bucket, key: "greeting", body: Array("hello from \(bucket)".utf8))
    }
    return buckets
  }

  static func access(
    _ configuration: Configuration, fixture: AWSFixture, proxy: FaultProxy, clock: TestClock
  ) async throws -> S3Access {
    let roleARN = try TestServices.require("DR_TEST_STS_ROLE_ARN")
    let resolver = fixture.resolver(["AWS_ENDPOINT_URL": proxy.endpoint, "AWS_REGION": "us-east-1"], clock: clock)
    switch configuration {
    case .profile:
      writeFile(
        fixture.credentialsPath,
        "[production]\naws_access_key_id = \(try TestServices.accessKeyID())\n"
          + "aws_secret_access_key = \(try TestServices.secretAccessKey())\n")
      writeFile(
        fixture.configPath,
        "[profile role]\nrole_arn = \(roleARN)\nsource_profile = production\nduration_seconds = 900\n")
      return try await resolver.resolve(credentials: .profile("role"))
    case .policy:
      let source = CredentialsSource.keys(
        accessKeyID: try TestServices.accessKeyID(), secretAccessKey: Secret(try TestServices.secretAccessKey()),
        sessionToken: nil)
      return try await resolver.resolve(
        credentials: .role(
          RoleParameters(roleARN: roleARN, sessionName: "dr-test", durationSeconds: 900),
          authority: .credentials(source)))
    }
  }

  static func stsCalls(_ proxy: FaultProxy) -> Int {
    proxy.seenRequests.filter { $0.method == "POST" && $0.target == "/" }.count
  }

  @Test(arguments: Configuration.allCases)
  func anAssumedRoleReadsItsBucketIsRefusedTheOtherAndIsRefreshedBeforeItExpires(
    _ configuration: Configuration
  ) async throws {
    let production = try S3Test.client()
    let buckets = try await Self.buckets(production)
    let fixture = AWSFixture()
    let gateway = try PrivateRadosGateway(sts: true)
    try await gateway.start()
    let proxy = try FaultProxy(upstream: gateway.endpoint)
    defer {
      proxy.stop()
      gateway.stopNow()
      fixture.remove()
    }
    let clock = TestClock(Date())
    let access = try await Self.access(configuration, fixture: fixture, proxy: proxy, clock: clock)
    #expect(Self.stsCalls(proxy) == 1)
    #expect(access.credentialsSource.contains("AssumeRole at \(proxy.endpoint)"))
    let first = try await access.credentials.credentials()
    #expect(first.sessionToken != nil)
    let lifetime = try #require(first.expiration).timeIntervalSinceNow
    #expect(lifetime > 800 && lifetime <= 901, "RGW was asked for 900 s")
    let client = S3Client(
      endpoint: try S3Endpoint(url: proxy.endpoint, region: access.region), credentials: access.credentials,
      http: HTTPClient(configuration: TestS3.quickConnect()), retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05))

    let read = try await client.getObjectBytes(bucket: buckets.allowed, key: "greeting")
    #expect(String(decoding: read, as: UTF8.self) == "hello from \(buckets.allowed)")
    let refused = await #expect(throws: S3Error.self) {
      try await client.getObjectBytes(bucket: buckets.denied, key: "greeting")
    }
    #expect(refused?.status == 403)
    #expect(refused?.code == "AccessDenied")
    #expect(Self.stsCalls(proxy) == 1, "the cached keys serve every request")

    // 650 s on, under 300 s are left (the refresh margin): the next request fetches new keys.
    clock.advance(650)
    let again = try await client.getObjectBytes(bucket: buckets.allowed, key: "greeting")
    #expect(String(decoding: again, as: UTF8.self) == "hello from \(buckets.allowed)")
    #expect(Self.stsCalls(proxy) == 2)
    #expect(try await access.credentials.credentials().accessKeyID != first.accessKeyID)
    await gateway.stop()
    await TestS3.remove(production, buckets.allowed)
    await TestS3.remove(production, buckets.denied)
  }

  @Test func aRoleThatDoesNotExistIsAnErrorNamingIt() async throws {
    let fixture = AWSFixture()
    let gateway = try PrivateRadosGateway(sts: true)
    try await gateway.start()
    defer {
      gateway.stopNow()
      fixture.remove()
    }
    let missing = "arn:aws:iam:::role/dr-no-such-role"
    let source = CredentialsSource.keys(
      accessKeyID: try TestServices.accessKeyID(), secretAccessKey: Secret(try TestServices.secretAccessKey()),
      sessionToken: nil)
    let error = await #expect(throws: CredentialsError.self) {
      try await fixture.resolver(["AWS_ENDPOINT_URL": gateway.endpoint]).resolve(
        credentials: .role(RoleParameters(roleARN: missing), authority: .credentials(source)))
    }
    let text = error?.description ?? ""
    #expect(text.contains("could not assume role \(missing) (STS AssumeRole at"), "\(text)")
    #expect(text.contains("NoSuchEntity"), "\(text)")
    #expect(!text.contains(try TestServices.secretAccessKey()))
    await gateway.stop()
  }
}
