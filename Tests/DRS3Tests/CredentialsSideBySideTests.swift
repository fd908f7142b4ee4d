import DRCore
import DRTestSupport
import Foundation
import Testing

@testable import DRS3

/// Production (environment keys) and the failover's spare profile, resolved in one
/// process, neither disturbing the other.
struct CredentialsSideBySideTests {
  static let production = [
    "AWS_ACCESS_KEY_ID": "AKIAPROD", "AWS_SECRET_ACCESS_KEY": FakeKeys.envSecret, "AWS_REGION": "eu-west-1",
    "AWS_ENDPOINT_URL": "http://prod.example:7480",
  ]
  static let spareCredentials = """
    [spare]
    aws_access_key_id = AKIASPARE
    aws_secret_access_key = \(FakeKeys.spareSecret)
    """
  static let spareConfig = """
    [profile spare]
    region = us-west-2
    endpoint_url = http://spare.example:9000
    """

  @Test func oneResolverServesProductionAndTheSpareProfile() async throws {
    let fixture = AWSFixture(credentials: Self.spareCredentials, config: Self.spareConfig)
    defer { fixture.remove() }
    let resolver = fixture.resolver(Self.production)
    async let productionAccess = resolver.resolve()
    async let spareAccess = resolver.resolve(
      credentials: .profile("spare"), region: "us-west-2", endpoint: "http://spare.example:9000")
    let (production, spare) = try await (productionAccess, spareAccess)
    let productionKeys = try await production.credentials.credentials()
    let spareKeys = try await spare.credentials.credentials()
    #expect(productionKeys.accessKeyID == "AKIAPROD")
    #expect(productionKeys.secretAccessKey == FakeKeys.envSecret)
    #expect((production.region, production.endpoint) == ("eu-west-1", "http://prod.example:7480"))
    #expect(spareKeys.accessKeyID == "AKIASPARE")
    #expect(spareKeys.secretAccessKey == FakeKeys.spareSecret)
    #expect((spare.region, spare.endpoint) == ("us-west-2", "http://spare.example:9000"))
    #expect(spare.credentialsSource == "profile spare (\(fixture.credentialsPath))")
  }

  /// Without the policy's region and endpoint, the environment's win even for the spare
  /// profile, as they do for the AWS CLI: a spare destination should say its own.
  @Test func theEnvironmentStillOutranksTheSpareProfilesSettings() async throws {
    let fixture = AWSFixture(credentials: Self.spareCredentials, config: Self.spareConfig)
    defer { fixture.remove() }
    let spare = try await fixture.resolver(Self.production).resolve(credentials: .profile("spare"))
    #expect(spare.region == "eu-west-1")
    #expect(spare.regionSource == "AWS_REGION")
    #expect(spare.endpoint == "http://prod.example:7480")
  }

  @Test func resolversWithDifferentInputsDoNotShareState() async throws {
    let productionFiles = AWSFixture(credentials: "[default]\nregion = x\n")
    let spareFiles = AWSFixture(credentials: Self.spareCredentials, config: Self.spareConfig)
    defer {
      productionFiles.remove()
      spareFiles.remove()
    }
    let clock = TestClock()
    let server = try CredentialsContainerTests.agent(clock: clock)
    defer { server.stop() }
    let container = productionFiles.resolver(
      ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds"], clock: clock)
    let spare = spareFiles.resolver(["AWS_PROFILE": "spare"])
    async let first = container.resolve()
    async let second = spare.resolve()
    let (containerAccess, spareAccess) = try await (first, second)
    #expect(try await containerAccess.credentials.credentials().accessKeyID == "AKIAC")
    #expect(try await spareAccess.credentials.credentials().accessKeyID == "AKIASPARE")
    #expect(spareAccess.region == "us-west-2")
    #expect(spareAccess.endpoint == "http://spare.example:9000")
    #expect(containerAccess.region == "x", "a region in the credentials file counts, as in botocore")
    #expect(containerAccess.credentials is RefreshingCredentialsProvider)
    #expect(spareAccess.credentials is StaticCredentialsProvider)
  }
}
