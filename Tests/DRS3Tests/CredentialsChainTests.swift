import DRCore
import Foundation
import Testing

@testable import DRS3

/// Which source wins, given which environment and files.
struct CredentialsChainTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    var source: CredentialsSource = .chain
    var environment: [String: String] = [:]
    var credentials: String?
    var config: String?
    let expectedKeyID: String
    let expectedSource: String
    var expectedToken: String?

    var testDescription: String { name }
  }

  static let envKeys = [
    "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": FakeKeys.envSecret,
  ]
  static let credentialsFile = """
    [default]
    aws_access_key_id = AKIADEFAULT
    aws_secret_access_key = \(FakeKeys.profileSecret)

    [spare]
    aws_access_key_id = AKIASPARE
    aws_secret_access_key = \(FakeKeys.spareSecret)
    """
  static let configFile = """
    [default]
    region = eu-west-1

    [profile work]
    aws_access_key_id = AKIAWORKCONFIG
    aws_secret_access_key = \(FakeKeys.configSecret)

    [profile spare]
    aws_access_key_id = AKIASPARECONFIG
    aws_secret_access_key = \(FakeKeys.configSecret)
    """

  static let cases: [Case] = [
    Case(
      name: "environment keys beat the default profile", environment: envKeys, credentials: credentialsFile,
      expectedKeyID: "AKIAENV", expectedSource: "environment (AWS_ACCESS_KEY_ID)"),
    Case(
      name: "environment keys beat AWS_PROFILE", environment: envKeys.merging(["AWS_PROFILE": "spare"]) { $1 },
      credentials: credentialsFile, expectedKeyID: "AKIAENV", expectedSource: "environment"),
    Case(
      name: "a session token comes along",
      environment: envKeys.merging(["AWS_SESSION_TOKEN": FakeKeys.envToken]) { $1 }, expectedKeyID: "AKIAENV",
      expectedSource: "environment", expectedToken: FakeKeys.envToken),
    Case(
      name: "blank environment values are unset", environment: ["AWS_ACCESS_KEY_ID": " ", "AWS_SECRET_ACCESS_KEY": ""],
      credentials: credentialsFile, expectedKeyID: "AKIADEFAULT", expectedSource: "profile default"),
    Case(
      name: "the default profile of the credentials file", credentials: credentialsFile,
      expectedKeyID: "AKIADEFAULT", expectedSource: "profile default"),
    Case(
      name: "the default profile of the config file",
      config: "[default]\naws_access_key_id = AKIACFG\naws_secret_access_key = \(FakeKeys.configSecret)",
      expectedKeyID: "AKIACFG", expectedSource: "/config)"),
    Case(
      name: "[profile default] in the config file",
      config: "[profile default]\naws_access_key_id = AKIACFG\naws_secret_access_key = \(FakeKeys.configSecret)",
      expectedKeyID: "AKIACFG", expectedSource: "profile default"),
    Case(
      name: "AWS_PROFILE from the credentials file", environment: ["AWS_PROFILE": "spare"],
      credentials: credentialsFile, config: configFile, expectedKeyID: "AKIASPARE", expectedSource: "/credentials)"),
    Case(
      name: "AWS_PROFILE from the config file", environment: ["AWS_PROFILE": "work"], credentials: credentialsFile,
      config: configFile, expectedKeyID: "AKIAWORKCONFIG", expectedSource: "profile work"),
    Case(
      name: "the credentials file wins over the config file", source: .profile("spare"), credentials: credentialsFile,
      config: configFile, expectedKeyID: "AKIASPARE", expectedSource: "/credentials)"),
    Case(
      name: "an explicit profile beats environment keys", source: .profile("spare"), environment: envKeys,
      credentials: credentialsFile, expectedKeyID: "AKIASPARE", expectedSource: "profile spare"),
    Case(
      name: "an explicit profile beats AWS_PROFILE", source: .profile("work"), environment: ["AWS_PROFILE": "spare"],
      credentials: credentialsFile, config: configFile, expectedKeyID: "AKIAWORKCONFIG",
      expectedSource: "profile work"),
    Case(
      name: "explicit keys beat everything",
      source: .keys(accessKeyID: "AKIAPOLICY", secretAccessKey: Secret(FakeKeys.policySecret), sessionToken: nil),
      environment: envKeys.merging(["AWS_PROFILE": "spare"]) { $1 }, credentials: credentialsFile,
      expectedKeyID: "AKIAPOLICY", expectedSource: "keys from the policy"),
    Case(
      name: "a profile token is kept",
      credentials: "[default]\naws_access_key_id=AKIATMP\naws_secret_access_key=\(FakeKeys.profileSecret)\n"
        + "aws_session_token=\(FakeKeys.envToken)", expectedKeyID: "AKIATMP", expectedSource: "profile default",
      expectedToken: FakeKeys.envToken),
    Case(
      name: "a default profile without keys falls through to the environment's keys",
      environment: envKeys, config: "[default]\nregion = eu-west-1", expectedKeyID: "AKIAENV",
      expectedSource: "environment"),
  ]

  @Test(arguments: cases)
  func theRightSourceWins(_ test: Case) async throws {
    let fixture = AWSFixture(credentials: test.credentials, config: test.config)
    defer { fixture.remove() }
    let access = try await fixture.resolver(test.environment).resolve(credentials: test.source)
    let keys = try await access.credentials.credentials()
    #expect(keys.accessKeyID == test.expectedKeyID)
    #expect(keys.sessionToken == test.expectedToken)
    #expect(access.credentialsSource.contains(test.expectedSource), "\(access.credentialsSource)")
    #expect(keys.source == access.credentialsSource)
    #expect(keys.expiration == nil)
    #expect(containsNoSecret(access.description))
  }

  @Test func everyLoadedSecretIsRegistered() async throws {
    let fixture = AWSFixture(credentials: Self.credentialsFile)
    defer { fixture.remove() }
    let secrets = SecretRegistry()
    let environment = Self.envKeys.merging(["AWS_SESSION_TOKEN": FakeKeys.envToken]) { $1 }
    let resolver = fixture.resolver(environment, secrets: secrets)
    _ = try await resolver.resolve()
    _ = try await resolver.resolve(credentials: .profile("spare"))
    _ = try await resolver.resolve(
      credentials: .keys(accessKeyID: "AKIAPOLICY", secretAccessKey: Secret(FakeKeys.policySecret), sessionToken: nil))
    let redactor = Redactor(registry: secrets)
    for secret in [FakeKeys.envSecret, FakeKeys.envToken, FakeKeys.spareSecret, FakeKeys.policySecret] {
      #expect(redactor.redact("x \(secret) y") == "x *** y")
    }
    #expect(redactor.redact("AKIASPARE") == "AKIASPARE")
  }

  @Test func theFilesAreFoundUnderHomeByDefault() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    try FileManager.default.createDirectory(atPath: fixture.directory + "/.aws", withIntermediateDirectories: true)
    writeFile(fixture.directory + "/.aws/credentials", Self.credentialsFile)
    let resolver = fixture.resolver([
      "AWS_SHARED_CREDENTIALS_FILE": AWSFixture.unset, "AWS_CONFIG_FILE": AWSFixture.unset,
    ])
    #expect(resolver.credentialsFile == fixture.directory + "/.aws/credentials")
    #expect(resolver.configFile == fixture.directory + "/.aws/config")
    let keys = try await resolver.resolve().credentials.credentials()
    #expect(keys.accessKeyID == "AKIADEFAULT")
  }

  @Test func aTildeInAFileVariableMeansHome() {
    let resolver = S3AccessResolver(
      environment: ["HOME": "/home/u", "AWS_SHARED_CREDENTIALS_FILE": "~/keys", "AWS_CONFIG_FILE": "/etc/aws"])
    #expect(resolver.credentialsFile == "/home/u/keys")
    #expect(resolver.configFile == "/etc/aws")
  }
}
