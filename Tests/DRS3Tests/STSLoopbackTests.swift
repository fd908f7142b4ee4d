import DRCore
import DRHTTP
import DRTestSupport
import Foundation
import Synchronization
import Testing

@testable import DRS3

/// Web identity and chained roles against a loopback STS: Ceph RGW serves
/// AssumeRoleWithWebIdentity only with an OpenID Connect provider registered, so the
/// request (form fields, unsigned, action and version) and the reading of its answers are
/// checked here; AssumeRole itself is checked against RGW in `STSRadosGatewayTests`.
struct STSLoopbackTests {
  static let roleARN = "arn:aws:iam::123456789012:role/dr-irsa"

  /// A loopback STS answering every call with fresh keys (`ASIA1`, `ASIA2`...) valid for
  /// `lifetime` from `clock`, or with `failure` when set.
  final class FakeSTS: Sendable {
    /// What the handler reads and counts, apart from the server that calls it.
    final class State: Sendable {
      let clock: TestClock
      let lifetime: TimeInterval
      let calls = Atomic<Int>(0)
      let failure = Mutex<(status: Int, body: String)?>(nil)

      init(clock: TestClock, lifetime: TimeInterval) {
        self.clock = clock
        self.lifetime = lifetime
      }

      func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let call = calls.add(1, ordering: .sequentiallyConsistent).newValue
        if let failure = failure.withLock({ $0 }) { return .xml(failure.body, status: failure.status) }
        let action = FakeSTS.fields(request)["Action"] ?? "?"
        let expiration = clock.date.addingTimeInterval(lifetime).formatted(.iso8601)
        return .xml(
          """
          <\(action)Response><\(action)Result><Credentials><AccessKeyId>ASIA\(call)</AccessKeyId>\
          <SecretAccessKey>\(FakeKeys.metadataSecret)</SecretAccessKey><SessionToken>\(FakeKeys.metadataToken)\
          </SessionToken><Expiration>\(expiration)</Expiration></Credentials></\(action)Result></\(action)Response>
          """)
      }
    }

    let state: State
    let server: LoopbackHTTPServer

    init(clock: TestClock, lifetime: TimeInterval = 3600) throws {
      let state = State(clock: clock, lifetime: lifetime)
      self.state = state
      self.server = try LoopbackHTTPServer { request in state.answer(request) }
    }

    /// Every later call answers `body` with `status`.
    func fail(_ status: Int, _ body: String) {
      state.failure.withLock { $0 = (status, body) }
    }

    static func fields(_ request: LoopbackHTTPServer.Request) -> [String: String] {
      var fields: [String: String] = [:]
      for pair in request.bodyText.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
        fields[parts[0]] = parts.count > 1 ? parts[1] : ""
      }
      return fields
    }

    var requests: [LoopbackHTTPServer.Request] { server.requests }
    deinit { server.stop() }
  }

  static func tokenFile(_ fixture: AWSFixture, _ token: String) -> String {
    let path = fixture.directory + "/token"
    writeFile(path, token + "\n")
    return path
  }

  @Test func eksWebIdentityVariablesAssumeTheRoleWithAnUnsignedForm() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let clock = TestClock()
    let sts = try FakeSTS(clock: clock)
    let file = Self.tokenFile(fixture, "eyJhbGciOiJSUzI1NiJ9.first.sig")
    let secrets = SecretRegistry()
    let access = try await fixture.resolver(
      [
        "AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": file, "AWS_ROLE_SESSION_NAME": "pod-1",
        "AWS_ENDPOINT_URL_STS": sts.server.baseURL, "AWS_REGION": "eu-west-1",
      ], secrets: secrets, clock: clock
    ).resolve()
    let keys = try await access.credentials.credentials()
    #expect(keys.accessKeyID == "ASIA1")
    #expect(keys.sessionToken == FakeKeys.metadataToken)
    let request = try #require(sts.requests.first)
    #expect(request.method == "POST")
    #expect(request.target == "/")
    #expect(request.header("Authorization") == nil)
    #expect(request.header("X-Amz-Date") == nil)
    #expect(request.header("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8")
    #expect(
      FakeSTS.fields(request) == [
        "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": Self.roleARN,
        "RoleSessionName": "pod-1", "WebIdentityToken": "eyJhbGciOiJSUzI1NiJ9.first.sig",
      ])
    #expect(access.credentialsSource.contains(Self.roleARN))
    #expect(access.credentialsSource.contains("AssumeRoleWithWebIdentity"))
    #expect(secrets.snapshot.contains("eyJhbGciOiJSUzI1NiJ9.first.sig"))
  }

  @Test func aProfileWithAWebIdentityTokenFileAsksForItsDuration() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let sts = try FakeSTS(clock: TestClock())
    let file = Self.tokenFile(fixture, "tok")
    writeFile(
      fixture.configPath,
      "[profile irsa]\nrole_arn = \(Self.roleARN)\nweb_identity_token_file = \(file)\nduration_seconds = 1800\n"
        + "role_session_name = from-profile\n")
    let access = try await fixture.resolver(["AWS_ENDPOINT_URL_STS": sts.server.baseURL]).resolve(
      credentials: .profile("irsa"))
    #expect(try await access.credentials.credentials().accessKeyID == "ASIA1")
    let fields = FakeSTS.fields(try #require(sts.requests.first))
    #expect(fields["DurationSeconds"] == "1800")
    #expect(fields["RoleSessionName"] == "from-profile")
  }

  @Test func keysAreFetchedAgainBeforeTheyExpireOnceForManyCallersWithTheRotatedToken() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let clock = TestClock()
    let sts = try FakeSTS(clock: clock, lifetime: 900)
    let file = Self.tokenFile(fixture, "token-one")
    let access = try await fixture.resolver(
      ["AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": file, "AWS_ENDPOINT_URL_STS": sts.server.baseURL],
      clock: clock
    ).resolve()
    clock.advance(500)
    #expect(try await access.credentials.credentials().accessKeyID == "ASIA1")
    writeFile(file, "token-two")
    clock.advance(150)  // 250 s left of 900: within the refresh margin (300 s, a third of the life)
    let ids = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<20 { group.addTask { try await access.credentials.credentials().accessKeyID } }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    // One fetch for all twenty; callers that come while it is in flight get the cached
    // keys, which are still valid for 250 s.
    #expect(ids.isSubset(of: ["ASIA1", "ASIA2"]))
    #expect(sts.requests.count == 2)
    #expect(try await access.credentials.credentials().accessKeyID == "ASIA2")
    #expect(FakeSTS.fields(sts.requests[1])["WebIdentityToken"] == "token-two")
  }

  @Test(arguments: [
    (
      403, "AccessDenied",
      "<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized</Message></Error></ErrorResponse>"
    ),
    (
      400, "ExpiredToken",
      "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>Token expired</Message></Error></ErrorResponse>"
    ),
  ])
  func anSTSErrorNamesTheRoleAndTheCodeButNeverTheToken(_ status: Int, _ code: String, _ body: String) async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let sts = try FakeSTS(clock: TestClock())
    sts.fail(status, body)
    let token = "secretWebIdentityTOKEN8888888888"
    let file = Self.tokenFile(fixture, token)
    let error = await #expect(throws: CredentialsError.self) {
      try await fixture.resolver([
        "AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": file, "AWS_ENDPOINT_URL_STS": sts.server.baseURL,
      ]).resolve()
    }
    let text = error?.description ?? ""
    #expect(text.contains("could not assume role \(Self.roleARN)"), "\(text)")
    #expect(text.contains("AssumeRoleWithWebIdentity at \(sts.server.baseURL)"), "\(text)")
    #expect(text.contains("HTTP \(status) \(code)"), "\(text)")
    #expect(!text.contains(token))
    #expect(sts.requests.count == 1, "a refusal is not retried")
    #expect(error?.exitStatus == .failure)
  }

  @Test func halfTheWebIdentityVariablesOrAMissingTokenFileIsAClearError() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let half = await #expect(throws: CredentialsError.self) {
      try await fixture.resolver(["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"]).resolve()
    }
    #expect(half == .webIdentity(reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"))
    let missing = await #expect(throws: CredentialsError.self) {
      try await fixture.resolver([
        "AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": fixture.directory + "/absent",
      ]).resolve()
    }
    #expect(missing == .webIdentity(reason: "cannot read the token file \(fixture.directory)/absent"))
  }
}
