import DRCore
import DRTestSupport
import Foundation
import Testing

@testable import DRS3

/// Profiles whose `source_profile` is itself a role: each role is assumed with the keys of
/// the one before, as the AWS CLI does, against a loopback STS that records the signatures.
struct STSProfileChainTests {
  typealias FakeSTS = STSLoopbackTests.FakeSTS

  static func arn(_ name: String) -> String { "arn:aws:iam::123456789012:role/\(name)" }

  @Test func aChainOfSourceProfilesAssumesEachRoleWithTheKeysOfTheOneBefore() async throws {
    let fixture = AWSFixture(
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = \(FakeKeys.profileSecret)\n",
      config: """
        [profile deploy]
        role_arn = \(Self.arn("deploy"))
        source_profile = hop
        external_id = spare-42
        [profile hop]
        role_arn = \(Self.arn("hop"))
        source_profile = base

        """)
    defer { fixture.remove() }
    let sts = try FakeSTS(clock: TestClock())
    let access = try await fixture.resolver(["AWS_ENDPOINT_URL_STS": sts.server.baseURL]).resolve(
      credentials: .profile("deploy"))
    #expect(try await access.credentials.credentials().accessKeyID == "ASIA2")
    let requests = sts.requests
    try #require(requests.count == 2)
    #expect(FakeSTS.fields(requests[0])["RoleArn"] == Self.arn("hop"))
    #expect(FakeSTS.fields(requests[0])["Action"] == "AssumeRole")
    #expect(requests[0].header("Authorization")?.contains("Credential=AKIDBASE/") == true)
    #expect(requests[0].header("Authorization")?.contains("/sts/aws4_request") == true)
    #expect(requests[0].header("X-Amz-Security-Token") == nil)
    #expect(FakeSTS.fields(requests[1])["RoleArn"] == Self.arn("deploy"))
    #expect(FakeSTS.fields(requests[1])["ExternalId"] == "spare-42")
    #expect(requests[1].header("Authorization")?.contains("Credential=ASIA1/") == true)
    #expect(requests[1].header("X-Amz-Security-Token") == FakeKeys.metadataToken)
    #expect(access.credentialsSource.contains(Self.arn("deploy")))
  }

  @Test func aSourceProfileNamingItselfUsesItsOwnKeys() async throws {
    let fixture = AWSFixture(
      credentials: "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = \(FakeKeys.profileSecret)\n",
      config: "[profile self]\nrole_arn = \(Self.arn("self"))\nsource_profile = self\n")
    defer { fixture.remove() }
    let sts = try FakeSTS(clock: TestClock())
    _ = try await fixture.resolver(["AWS_ENDPOINT_URL_STS": sts.server.baseURL]).resolve(credentials: .profile("self"))
    #expect(sts.requests.first?.header("Authorization")?.contains("Credential=AKIDSELF/") == true)
  }

  @Test(arguments: [
    (
      "[profile a]\nrole_arn = \(arn("a"))\nsource_profile = b\n[profile b]\nrole_arn = \(arn("b"))\nsource_profile = a\n",
      "source_profile makes a loop: a -> b -> a"
    ),
    (
      "[profile a]\nrole_arn = \(arn("a"))\n",
      "role_arn needs source_profile, credential_source or web_identity_token_file"
    ),
    ("[profile a]\nrole_arn = \(arn("a"))\ncredential_source = Somewhere\n", "credential_source Somewhere is not"),
    (
      "[profile a]\nrole_arn = \(arn("a"))\nsource_profile = b\ncredential_source = Environment\n",
      "give source_profile or credential_source, not both"
    ),
  ])
  func brokenRoleProfilesAreRefusedBeforeAnySTSCall(_ config: String, _ expected: String) async throws {
    let fixture = AWSFixture(config: config)
    defer { fixture.remove() }
    let sts = try FakeSTS(clock: TestClock())
    let error = await #expect(throws: CredentialsError.self) {
      try await fixture.resolver(["AWS_ENDPOINT_URL_STS": sts.server.baseURL]).resolve(credentials: .profile("a"))
    }
    #expect(error?.description.contains("cannot assume its role") == true, "\(String(describing: error))")
    #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    #expect(sts.requests.isEmpty)
  }

  @Test func aSourceProfileThatDoesNotExistIsNamed() async throws {
    let fixture = AWSFixture(config: "[profile a]\nrole_arn = \(Self.arn("a"))\nsource_profile = gone\n")
    defer { fixture.remove() }
    let error = await #expect(throws: CredentialsError.self) {
      try await fixture.resolver().resolve(credentials: .profile("a"))
    }
    #expect(error?.description.contains("'gone' (named by source_profile of profile a)") == true)
  }
}
