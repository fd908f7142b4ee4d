import DRCore
import DRHTTP
import DRTestSupport
import Foundation
import Synchronization

@testable import DRS3

/// Fake secrets, distinctive enough to find in any text.
enum FakeKeys {
  static let envSecret = "envSecretKEY0000000000000000000000000000"
  static let envToken = "envSessionTOKEN11111111111111"
  static let profileSecret = "profileSecretKEY22222222222222222222222"
  static let spareSecret = "spareSecretKEY333333333333333333333333"
  static let configSecret = "configSecretKEY4444444444444444444444"
  static let policySecret = "policySecretKEY55555555555555555555555"
  static let metadataSecret = "metadataSecretKEY666666666666666666666"
  static let metadataToken = "metadataSessionTOKEN7777777777777"
  static let all = [
    envSecret, envToken, profileSecret, spareSecret, configSecret, policySecret, metadataSecret, metadataToken,
  ]
}

/// A directory with a credentials file and a config file, and resolvers reading them.
/// EC2 metadata is disabled unless a test's environment sets it up, so no test ever
/// waits on 169.254.169.254.
struct AWSFixture {
  let directory = TemporaryDirectory.unique("dr-creds")
  var credentialsPath: String { directory + "/credentials" }
  var configPath: String { directory + "/config" }

  init(credentials: String? = nil, config: String? = nil) {
    if let credentials { writeFile(credentialsPath, credentials) }
    if let config { writeFile(configPath, config) }
  }

  /// In `extra`, removes the variable instead of setting it.
  static let unset = "<unset>"

  func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = [
      "HOME": directory, "AWS_SHARED_CREDENTIALS_FILE": credentialsPath, "AWS_CONFIG_FILE": configPath,
      "AWS_EC2_METADATA_DISABLED": "true",
    ]
    environment.merge(extra) { _, new in new }
    return environment.filter { $0.value != Self.unset }
  }

  func resolver(
    _ extra: [String: String] = [:], secrets: SecretRegistry = SecretRegistry(), clock: TestClock = TestClock(),
    metadata: S3AccessResolver.MetadataSettings = S3AccessResolver.MetadataSettings()
  ) -> S3AccessResolver {
    S3AccessResolver(
      environment: environment(extra),
      httpClient: HTTPClient(configuration: S3AccessResolver.metadataHTTPConfiguration),
      now: clock.now, secrets: secrets, metadata: metadata)
  }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
  private let current: Mutex<Date>

  init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
    current = Mutex(start)
  }

  var now: @Sendable () -> Date { { self.current.withLock { $0 } } }
  var date: Date { current.withLock { $0 } }

  func advance(_ seconds: TimeInterval) {
    current.withLock { $0 = $0.addingTimeInterval(seconds) }
  }
}

/// The JSON a container endpoint or EC2 hands out.
func credentialsJSON(
  id: String, secret: String = FakeKeys.metadataSecret, token: String = FakeKeys.metadataToken,
  expiration: Date, code: String? = nil
) -> String {
  let expires = expiration.formatted(.iso8601)
  let codeField = code.map { #""Code": "\#($0)", "# } ?? ""
  return #"{\#(codeField)"AccessKeyId": "\#(id)", "SecretAccessKey": "\#(secret)", "Token": "\#(token)", "#
    + #""Expiration": "\#(expires)"}"#
}

/// Checks that none of the fake secrets appear in `text`.
func containsNoSecret(_ text: String) -> Bool {
  !FakeKeys.all.contains { text.contains($0) }
}

func writeFile(_ path: String, _ text: String) {
  try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
