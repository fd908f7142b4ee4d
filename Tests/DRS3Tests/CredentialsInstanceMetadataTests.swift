import DRCore
import DRTestSupport
import Foundation
import Synchronization
import Testing

@testable import DRS3

/// EC2 instance metadata (IMDSv2) against a loopback imitation.
struct CredentialsInstanceMetadataTests {
  typealias Server = LoopbackHTTPServer

  /// IMDS as EC2 runs it: a session token from PUT /latest/api/token (the TTL header is
  /// required), then every GET must carry it. `v2` false answers the PUT with 404, as
  /// an IMDSv1-only service does.
  static func metadataService(clock: TestClock, v2: Bool = true, role: String? = "backup-role") throws -> Server {
    let issued = Atomic<Int>(0)
    return try Server { request in
      let token = "imds-session-token-\(issued.load(ordering: .relaxed))"
      switch (request.method, request.path) {
      case ("PUT", "/latest/api/token"):
        guard v2 else { return Server.Response(status: 404) }
        guard request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600" else {
          return Server.Response(status: 400)
        }
        let next = issued.add(1, ordering: .relaxed).newValue
        return Server.Response(text: "imds-session-token-\(next)")
      case ("GET", _) where v2 && request.header("X-aws-ec2-metadata-token") != token:
        return Server.Response(status: 401)
      case ("GET", "/latest/meta-data/iam/security-credentials/"):
        return role.map { Server.Response(text: "\($0)\n") } ?? Server.Response(status: 404)
      case ("GET", "/latest/meta-data/iam/security-credentials/\(role ?? "-")"):
        return .json(credentialsJSON(id: "AKIAEC2", expiration: clock.date + 6 * 3600, code: "Success"))
      default:
        return Server.Response(status: 404)
      }
    }
  }

  static func resolver(
    _ fixture: AWSFixture, _ endpoint: String, clock: TestClock = TestClock(), extra: [String: String] = [:],
    secrets: SecretRegistry = SecretRegistry()
  ) -> S3AccessResolver {
    fixture.resolver(
      ["AWS_EC2_METADATA_DISABLED": AWSFixture.unset, "AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint].merging(extra) {
        $1
      },
      secrets: secrets, clock: clock)
  }

  @Test func theTokenFlowGetsTheRolesKeys() async throws {
    let clock = TestClock()
    let server = try Self.metadataService(clock: clock)
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let secrets = SecretRegistry()
    let access = try await Self.resolver(fixture, server.baseURL + "/", clock: clock, secrets: secrets).resolve()
    let keys = try await access.credentials.credentials()
    #expect(keys.accessKeyID == "AKIAEC2")
    #expect(keys.expiration == clock.date + 6 * 3600)
    #expect(access.credentialsSource == "EC2 instance role backup-role (\(server.baseURL))")
    let requests = server.requests
    #expect(
      requests.map { "\($0.method) \($0.target)" } == [
        "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
        "GET /latest/meta-data/iam/security-credentials/backup-role",
      ])
    #expect(requests.dropFirst().allSatisfy { $0.header("X-aws-ec2-metadata-token") == "imds-session-token-1" })
    #expect(Redactor(registry: secrets).redact("imds-session-token-1") == "***")
    #expect(containsNoSecret(access.description))
  }

  @Test func keysAreRefreshedBeforeTheyExpireWithANewToken() async throws {
    let clock = TestClock()
    let server = try Self.metadataService(clock: clock)
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let provider = try await Self.resolver(fixture, server.baseURL, clock: clock).resolve().credentials
    clock.advance(5 * 3600)
    _ = try await provider.credentials()
    #expect(server.requests.count == 3)
    clock.advance(56 * 60)
    let refreshed = try await provider.credentials()
    #expect(refreshed.expiration == clock.date + 6 * 3600)
    #expect(server.requests.count == 6)
    #expect(server.requests.last?.header("X-aws-ec2-metadata-token") == "imds-session-token-2")
  }

  @Test func imdsV1IsUsedWhenV2IsUnavailable() async throws {
    let server = try Self.metadataService(clock: TestClock(), v2: false)
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let keys = try await Self.resolver(fixture, server.baseURL).resolve().credentials.credentials()
    #expect(keys.accessKeyID == "AKIAEC2")
    #expect(server.requests.allSatisfy { $0.header("X-aws-ec2-metadata-token") == nil })
  }

  @Test func imdsV1CanBeForbidden() async throws {
    let server = try Self.metadataService(clock: TestClock(), v2: false)
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let resolver = Self.resolver(fixture, server.baseURL, extra: ["AWS_EC2_METADATA_V1_DISABLED": "true"])
    let error = await #expect(throws: CredentialsError.self) { try await resolver.resolve() }
    #expect(error?.description.contains("IMDSv2 is unavailable and IMDSv1 is disabled") == true)
    #expect(server.requests.count == 1)
  }

  @Test func anInstanceWithoutARoleHasNoCredentials() async throws {
    let server = try Self.metadataService(clock: TestClock(), role: nil)
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let error = await #expect(throws: CredentialsError.self) {
      try await Self.resolver(fixture, server.baseURL).resolve()
    }
    guard case .noCredentials(let tried) = error else { throw try #require(error) }
    #expect(tried.last == "EC2 instance metadata at \(server.baseURL): no IAM role is attached to this instance")
  }

  @Test func nothingListeningFailsWithinTwoSeconds() async throws {
    let closed = try RefusingPort()
    let closedPort = closed.port
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let error = await #expect(throws: CredentialsError.self) {
      try await Self.resolver(fixture, "http://127.0.0.1:\(closedPort)").resolve()
    }
    #expect(error?.description.contains("EC2 instance metadata at http://127.0.0.1:\(closedPort)") == true)
    #expect(error?.description.contains("no AWS credentials found") == true)
    withExtendedLifetime(closed) {}
  }

  @Test func aServiceThatNeverAnswersFailsAtTheDeadline() async throws {
    let server = try Server { _ in
      // Far past the 1 s deadline, so a slow test run cannot let the answer win.
      Thread.sleep(forTimeInterval: 10)
      return Server.Response(text: "too late")
    }
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    var metadata = S3AccessResolver.MetadataSettings()
    metadata.timeout = .seconds(1)
    let resolver = fixture.resolver(
      ["AWS_EC2_METADATA_DISABLED": AWSFixture.unset, "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL],
      metadata: metadata)
    let error = await #expect(throws: CredentialsError.self) { try await resolver.resolve() }
    // The deadline or libcurl's own stall limit ends it, whichever a busy run lets fire first.
    #expect(error?.description.contains("EC2 instance metadata at \(server.baseURL)") == true)
    #expect(error?.description.contains("too late") == false)
  }

  @Test func disabledMeansNotAsked() async throws {
    let server = try Self.metadataService(clock: TestClock())
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let resolver = Self.resolver(fixture, server.baseURL, extra: ["AWS_EC2_METADATA_DISABLED": "TRUE"])
    await #expect(throws: CredentialsError.self) { try await resolver.resolve() }
    #expect(server.requests.isEmpty)
  }

  @Test(arguments: [
    ([:], "http://169.254.169.254"), (["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], "http://[fd00:ec2::254]"),
    (["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://10.0.0.1:80/"], "http://10.0.0.1:80"),
  ])
  func endpoints(_ environment: [String: String], _ expected: String) {
    #expect(InstanceMetadataCredentials.endpoint(from: environment) == expected)
  }
}
