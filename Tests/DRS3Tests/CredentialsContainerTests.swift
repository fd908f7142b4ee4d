import DRCore
import DRTestSupport
import Foundation
import Testing

@testable import DRS3

/// Container credentials (ECS, EKS Pod Identity) against a loopback agent.
struct CredentialsContainerTests {
  typealias Server = LoopbackHTTPServer

  /// An agent that hands out keys valid for an hour from `clock`, only to callers that
  /// send `Authorization: <token>` when a token is required.
  static func agent(clock: TestClock, token: @escaping @Sendable () -> String? = { nil }) throws -> Server {
    try Server { request in
      guard request.path == "/creds" else { return Server.Response(status: 404, text: "no such path") }
      if let expected = token(), request.header("Authorization") != expected {
        return Server.Response(status: 401, text: "bad token")
      }
      return .json(credentialsJSON(id: "AKIAC\(request.header("Authorization") ?? "")", expiration: clock.date + 3600))
    }
  }

  @Test func fullURIWithAnAuthorizationToken() async throws {
    let clock = TestClock()
    let server = try Self.agent(clock: clock) { "agent-token-1234" }
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let secrets = SecretRegistry()
    let resolver = fixture.resolver(
      [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "agent-token-1234",
      ], secrets: secrets, clock: clock)
    let access = try await resolver.resolve()
    let keys = try await access.credentials.credentials()
    #expect(keys.accessKeyID == "AKIACagent-token-1234")
    #expect(keys.sessionToken == FakeKeys.metadataToken)
    #expect(keys.expiration == Date(timeIntervalSince1970: (clock.date + 3600).timeIntervalSince1970.rounded(.down)))
    #expect(access.credentialsSource == "container credentials (\(server.baseURL)/creds)")
    #expect(server.requests.count == 1)
    #expect(server.requests.first?.header("Authorization") == "agent-token-1234")
    let redactor = Redactor(registry: secrets)
    #expect(redactor.redact("agent-token-1234 \(FakeKeys.metadataSecret) \(FakeKeys.metadataToken)") == "*** *** ***")
    var dumped = ""
    dump(access, to: &dumped)
    #expect(containsNoSecret(dumped + access.description))
  }

  @Test func aMissingTokenIsRefusedAndReported() async throws {
    let clock = TestClock()
    let server = try Self.agent(clock: clock) { "agent-token-1234" }
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let resolver = fixture.resolver(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds"], clock: clock)
    let error = await #expect(throws: CredentialsError.self) { try await resolver.resolve() }
    #expect(
      error == .fetchFailed(source: "container credentials (\(server.baseURL)/creds)", reason: "HTTP 401: bad token"))
  }

  @Test func theTokenFileWinsAndIsReadAgainAtEveryRefresh() async throws {
    let clock = TestClock()
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let tokenFile = fixture.directory + "/token"
    writeFile(tokenFile, "file-token-one\n")
    let server = try Self.agent(clock: clock) {
      try? String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    defer { server.stop() }
    let resolver = fixture.resolver(
      [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-token",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
      ], clock: clock)
    let provider = try await resolver.resolve().credentials
    #expect(try await provider.credentials().accessKeyID == "AKIACfile-token-one")
    writeFile(tokenFile, "file-token-two")
    clock.advance(30 * 60)
    #expect(try await provider.credentials().accessKeyID == "AKIACfile-token-one")
    clock.advance(26 * 60)
    #expect(try await provider.credentials().accessKeyID == "AKIACfile-token-two")
    #expect(server.requests.map { $0.header("Authorization") } == ["file-token-one", "file-token-two"])
  }

  @Test func relativeURIGoesToTheContainerHost() async throws {
    let clock = TestClock()
    let server = try Self.agent(clock: clock)
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    var metadata = S3AccessResolver.MetadataSettings()
    metadata.containerHost = server.baseURL
    let resolver = fixture.resolver(
      [
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/x",
      ],
      clock: clock, metadata: metadata)
    let keys = try await resolver.resolve().credentials.credentials()
    #expect(keys.accessKeyID == "AKIAC")
    #expect(server.requests.map(\.target) == ["/creds"])
  }

  @Test func aProfileWithoutKeysFallsThroughToTheContainer() async throws {
    let clock = TestClock()
    let server = try Self.agent(clock: clock)
    defer { server.stop() }
    let fixture = AWSFixture(config: "[default]\nregion = eu-central-1\n")
    defer { fixture.remove() }
    let resolver = fixture.resolver(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds"], clock: clock)
    let access = try await resolver.resolve()
    #expect(try await access.credentials.credentials().accessKeyID == "AKIAC")
    #expect(access.region == "eu-central-1")
  }

  @Test func aBrokenContainerEndpointIsAnErrorNotAFallThrough() async throws {
    let server = try Server { _ in Server.Response.json("{not json", status: 200) }
    defer { server.stop() }
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let resolver = fixture.resolver([
      "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds",
      "AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL,
    ])
    let error = await #expect(throws: CredentialsError.self) { try await resolver.resolve() }
    #expect(error?.description.contains("not a credentials document") == true)
    #expect(server.requests.count == 1, "EC2 metadata must not be tried")
  }

  @Test(arguments: [
    ("http://example.com/creds", "plain http is only allowed"),
    ("ftp://127.0.0.1/creds", "the scheme must be http or https"),
    ("/creds", "not an absolute http or https URL"),
  ])
  func unsafeFullURIsAreRefused(_ uri: String, _ reason: String) async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let resolver = fixture.resolver(["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri])
    let error = await #expect(throws: CredentialsError.self) { try await resolver.resolve() }
    #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
  }

  @Test(arguments: [
    "https://agent.example.com/creds", "http://127.0.0.2:80/c", "http://localhost/c", "http://[::1]/c",
    "http://169.254.170.23/v1/credentials",
  ])
  func allowedFullURIs(_ uri: String) throws {
    #expect(try ContainerCredentials.url(from: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri], relativeBase: "") == uri)
  }
}
