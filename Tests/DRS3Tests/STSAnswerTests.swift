import DRCore
import DRHTTP
import Foundation
import Testing

@testable import DRS3

/// STS's request form and answers, as values: what dr sends and how it reads what comes back.
struct STSAnswerTests {
  static let roleARN = "arn:aws:iam::123456789012:role/dr-spare"

  static func success(_ action: String, expiration: String = "2026-12-06T12:07:25.418631536Z") -> String {
    """
    <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result><Credentials>\
    <AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>\(FakeKeys.metadataSecret)</SecretAccessKey>\
    <SessionToken>\(FakeKeys.metadataToken)</SessionToken><Expiration>\(expiration)</Expiration>\
    </Credentials></\(action)Result><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>\
    </\(action)Response>
    """
  }

  @Test func theAssumeRoleFormCarriesActionVersionAndEveryParameterEncoded() {
    let role = RoleParameters(roleARN: Self.roleARN, externalID: "ext id/1+2", durationSeconds: 900)
    let form = STSForm.assumeRole(role, sessionName: "dr-host")
    #expect(
      form.body == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdr-spare"
        + "&RoleSessionName=dr-host&DurationSeconds=900&ExternalId=ext%20id%2F1%2B2")
  }

  @Test func theWebIdentityFormCarriesTheTokenAndNoExternalID() {
    let role = RoleParameters(roleARN: Self.roleARN, externalID: "ignored")
    let form = STSForm.assumeRoleWithWebIdentity(role, sessionName: "s1", token: "eyJ.a-b_c.d")
    #expect(form.action == "AssumeRoleWithWebIdentity")
    #expect(form.body.hasPrefix("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="))
    #expect(form.body.hasSuffix("&RoleSessionName=s1&WebIdentityToken=eyJ.a-b_c.d"))
    #expect(!form.body.contains("ExternalId"))
  }

  @Test(arguments: ["AssumeRole", "AssumeRoleWithWebIdentity"])
  func aSuccessIsReadWithItsNanosecondExpiration(_ action: String) throws {
    let secrets = SecretRegistry()
    let keys = try STSAnswer.credentials(
      Array(Self.success(action).utf8), action: action, source: "s", secrets: secrets)
    #expect(keys.accessKeyID == "ASIATEMP")
    #expect(keys.secretAccessKey == FakeKeys.metadataSecret)
    #expect(keys.sessionToken == FakeKeys.metadataToken)
    let expected = try Date("2026-12-06T12:07:25Z", strategy: .iso8601).addingTimeInterval(0.418631536)
    #expect(abs(try #require(keys.expiration).timeIntervalSince(expected)) < 0.001)
    #expect(secrets.snapshot.contains(FakeKeys.metadataSecret))
    #expect(secrets.snapshot.contains(FakeKeys.metadataToken))
  }

  @Test func anAnswerForAnotherActionOrWithoutExpirationIsRefused() {
    #expect(throws: STSFailure.self) {
      try STSAnswer.credentials(
        Array(Self.success("AssumeRole").utf8), action: "AssumeRoleWithWebIdentity", source: "s",
        secrets: SecretRegistry())
    }
    let noExpiry = Self.success("AssumeRole").replacingOccurrences(
      of: "<Expiration>2026-12-06T12:07:25.418631536Z</Expiration>", with: "")
    #expect(throws: STSFailure(reason: "the AssumeRole answer has no Expiration")) {
      try STSAnswer.credentials(Array(noExpiry.utf8), action: "AssumeRole", source: "s", secrets: SecretRegistry())
    }
  }

  @Test func awsErrorsAreReadWithCodeMessageAndAdvice() {
    let accessDenied = """
      <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>\
      <Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/u is not authorized to perform: \
      sts:AssumeRole</Message></Error><RequestId>r2</RequestId></ErrorResponse>
      """
    let failure = STSAnswer.failure(status: 403, body: Array(accessDenied.utf8))
    #expect(failure.reason.hasPrefix("HTTP 403 AccessDenied: User: arn:aws:iam::1:user/u is not authorized"))
    #expect(failure.reason.contains("trust policy"))
    #expect(!failure.transient)
    let expired = """
      <ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code>\
      <Message>Token expired: current date/time 1 must be before the expiration date/time 0</Message>\
      </Error></ErrorResponse>
      """
    let expiredFailure = STSAnswer.failure(status: 400, body: Array(expired.utf8))
    #expect(expiredFailure.reason.hasPrefix("HTTP 400 ExpiredToken: Token expired"))
    #expect(expiredFailure.reason.contains("token file must be kept fresh"))
  }

  @Test func rgwErrorsAndGarbageAreRead() {
    let rgw = #"<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchEntity</Code><Message></Message></Error>"#
    #expect(STSAnswer.failure(status: 404, body: Array(rgw.utf8)).reason == "HTTP 404 NoSuchEntity. no such role")
    let throttled =
      "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"
    #expect(STSAnswer.failure(status: 400, body: Array(throttled.utf8)).transient)
    let html = STSAnswer.failure(status: 502, body: Array("<html>bad gateway".utf8))
    #expect(html.reason.hasPrefix("HTTP 502 ("))
    #expect(html.transient)
  }

  @Test func anAssumeRoleRequestIsSignedForSTSWithTheSourceToken() throws {
    let client = STSClient(
      endpoint: "https://sts.eu-west-1.amazonaws.com", region: "eu-west-1", http: .init(), secrets: SecretRegistry(),
      now: { Date(timeIntervalSince1970: 1_750_000_000) })
    let source = S3Credentials(
      accessKeyID: "AKIDSOURCE", secretAccessKey: FakeKeys.profileSecret, sessionToken: FakeKeys.envToken, source: "t")
    let request = try client.signed(
      STSForm.assumeRole(RoleParameters(roleARN: Self.roleARN), sessionName: "dr-x"), source)
    let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    #expect(request.method == "POST")
    #expect(request.url == "https://sts.eu-west-1.amazonaws.com/")
    #expect(headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8")
    #expect(headers["X-Amz-Security-Token"] == FakeKeys.envToken)
    let authorization = try #require(headers["Authorization"])
    #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDSOURCE/20250615/eu-west-1/sts/aws4_request"))
    #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"))
    #expect(headers["x-amz-content-sha256"] == nil)
    let unsigned = try client.signed(
      STSForm.assumeRoleWithWebIdentity(RoleParameters(roleARN: Self.roleARN), sessionName: "dr-x", token: "t"), nil)
    #expect(!unsigned.headers.contains { $0.name == "Authorization" || $0.name.hasPrefix("X-Amz") })
  }

  @Test(arguments: [
    ("http://127.0.0.1:7480", "127.0.0.1:7480"), ("https://sts.us-east-1.amazonaws.com", "sts.us-east-1.amazonaws.com"),
    ("http://h:80", "h"), ("https://h:8443/", "h:8443"),
  ])
  func theSignedHostIsTheOneLibcurlSends(_ endpoint: String, _ host: String) throws {
    let client = STSClient(endpoint: endpoint, region: "us-east-1", http: .init(), secrets: SecretRegistry())
    #expect(try client.host() == host)
  }

  @Test func sessionNamesAreMadeValid() {
    #expect(RoleParameters.sessionName(from: "dr-my host/1") == "dr-my-host-1")
    #expect(RoleParameters.sessionName(from: "x") == "dr-session")
    #expect(RoleParameters.sessionName(from: String(repeating: "a", count: 80)).count == 64)
    #expect(STSClient.awsEndpoint(region: "cn-north-1") == "https://sts.cn-north-1.amazonaws.com.cn")
  }
}
