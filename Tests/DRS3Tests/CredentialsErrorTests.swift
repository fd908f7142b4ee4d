import DRCore
import Foundation
import Testing

@testable import DRS3

/// Missing profiles, missing credentials and broken files: clear messages, no secrets.
struct CredentialsErrorTests {
  static func resolveError(
    _ fixture: AWSFixture, _ environment: [String: String] = [:], source: CredentialsSource = .chain
  ) async -> CredentialsError? {
    do {
      _ = try await fixture.resolver(environment).resolve(credentials: source)
      return nil
    } catch {
      return error as? CredentialsError
    }
  }

  @Test func anExplicitProfileThatDoesNotExistNamesItAndTheFiles() async throws {
    let fixture = AWSFixture(credentials: "[default]\naws_access_key_id=A\naws_secret_access_key=\(FakeKeys.envSecret)")
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture, source: .profile("spare")))
    #expect(
      error
        == .profileNotFound(name: "spare", namedBy: "the policy", files: [fixture.credentialsPath, fixture.configPath]))
    #expect(error.description.contains("'spare'"))
    #expect(error.description.contains(fixture.credentialsPath))
    #expect(error.description.contains(fixture.configPath))
    #expect(error.description.contains("[profile spare]"))
    #expect(error.exitStatus == .failure)
  }

  @Test func aProfileNamedByAWSProfileThatDoesNotExistIsAnError() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture, ["AWS_PROFILE": "nowhere"]))
    #expect(error.description.contains("'nowhere' (named by AWS_PROFILE)"))
  }

  @Test func noCredentialsListsEverySourceTriedAndHowToFixIt() async throws {
    let fixture = AWSFixture(config: "[default]\nregion = eu-west-1")
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture))
    guard case .noCredentials(let tried) = error else {
      Issue.record("expected noCredentials, got \(error)")
      return
    }
    #expect(tried.count == 4)
    let text = error.description
    for expected in [
      "AWS_ACCESS_KEY_ID", "profile default in \(fixture.configPath)", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "disabled by AWS_EC2_METADATA_DISABLED", "storage.credentials", "~/.aws/credentials",
    ] {
      #expect(text.contains(expected), "\(expected) missing from: \(text)")
    }
  }

  /// Web identity is supported now (issue 19); a token file without its role is an error.
  @Test func webIdentityWithoutItsRoleIsAnError() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture, ["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"]))
    #expect(error.description.contains("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"))
  }

  @Test(arguments: [
    (["AWS_ACCESS_KEY_ID": "AKIAENV"], "AWS_SECRET_ACCESS_KEY is missing"),
    (["AWS_SECRET_ACCESS_KEY": FakeKeys.envSecret], "AWS_ACCESS_KEY_ID is missing"),
  ])
  func halfOfTheEnvironmentKeysIsAnError(_ environment: [String: String], _ expected: String) async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture, environment))
    #expect(error.description.contains(expected))
    #expect(error.description.contains("the environment"))
    #expect(containsNoSecret(error.description))
  }

  @Test func halfOfAProfilesKeysIsAnError() async throws {
    let fixture = AWSFixture(credentials: "[spare]\naws_secret_access_key = \(FakeKeys.spareSecret)\n")
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture, source: .profile("spare")))
    #expect(
      error == .partialCredentials(source: "profile spare in \(fixture.credentialsPath)", missing: "aws_access_key_id"))
    #expect(containsNoSecret(error.description))
  }

  @Test(arguments: [
    ("credential_process = /usr/bin/get-keys", ["credential_process"]),
    ("sso_session = corp\nsso_account_id = 1", ["sso_session", "sso_account_id"]),
  ])
  func profilesWithUnsupportedKeySourcesAreNamed(_ settings: String, _ names: [String]) async throws {
    let fixture = AWSFixture(config: "[profile spare]\nregion = eu-west-1\n\(settings)\n")
    defer { fixture.remove() }
    for (environment, source) in [([:], CredentialsSource.profile("spare")), (["AWS_PROFILE": "spare"], .chain)] {
      let error = try #require(await Self.resolveError(fixture, environment, source: source))
      #expect(error == .unsupportedProfile(name: "spare", settings: names, file: fixture.configPath))
      #expect(error.description.contains("does not support"))
    }
  }

  @Test func anExplicitProfileWithoutKeysIsAnError() async throws {
    let fixture = AWSFixture(config: "[profile spare]\nregion = eu-west-1\n")
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture, source: .profile("spare")))
    #expect(error == .profileWithoutKeys(name: "spare", files: [fixture.configPath]))
  }

  @Test func aMalformedFileIsReportedWithItsLine() async throws {
    let fixture = AWSFixture(credentials: "[default]\naws_access_key_id = A\nthis line is wrong\n")
    defer { fixture.remove() }
    let error = try #require(await Self.resolveError(fixture))
    #expect(error == .malformedFile(path: fixture.credentialsPath, line: 3, reason: "expected key = value"))
    #expect(error.description == "\(fixture.credentialsPath):3: expected key = value")
  }

  @Test func anUnreadableFileIsAnError() async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    try FileManager.default.createDirectory(atPath: fixture.configPath, withIntermediateDirectories: true)
    let error = try #require(
      await Self.resolveError(fixture, ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "Bbbb"]))
    #expect(error == .unreadableFile(path: fixture.configPath, reason: "it is a directory"))
  }

  @Test func explicitKeysAndSettingsNeedNoFiles() async throws {
    let fixture = AWSFixture(credentials: "this file is broken\n")
    defer { fixture.remove() }
    let keys = CredentialsSource.keys(
      accessKeyID: "AKIAP", secretAccessKey: Secret(FakeKeys.policySecret), sessionToken: nil)
    let access = try await fixture.resolver().resolve(credentials: keys, region: "eu-north-1", endpoint: "http://h:1")
    #expect(access.region == "eu-north-1")
  }

  @Test func secretsAppearInNoDescription() async throws {
    let fixture = AWSFixture(
      credentials:
        "[spare]\naws_access_key_id = AKIASPARE\naws_secret_access_key = \(FakeKeys.spareSecret)\naws_session_token = \(FakeKeys.envToken)"
    )
    defer { fixture.remove() }
    let environment = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": FakeKeys.envSecret]
    let resolver = fixture.resolver(environment)
    let policyKeys = CredentialsSource.keys(
      accessKeyID: "AKIAP", secretAccessKey: Secret(FakeKeys.policySecret), sessionToken: Secret(FakeKeys.envToken))
    var texts = ["\(policyKeys)", String(reflecting: policyKeys)]
    for source in [CredentialsSource.chain, .profile("spare"), policyKeys] {
      let access = try await resolver.resolve(credentials: source)
      let keys = try await access.credentials.credentials()
      var dumped = ""
      dump(access, to: &dumped)
      dump(keys, to: &dumped)
      texts += [access.description, access.credentialsSource, keys.description, keys.source, dumped]
    }
    for text in texts {
      #expect(containsNoSecret(text), "\(text)")
    }
  }
}
