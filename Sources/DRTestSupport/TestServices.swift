import Foundation

/// The real services tests run against, as `scripts/services up` describes them in the
/// environment. A missing variable is a failure that says how to start the services;
/// tests never skip.
public enum TestServices {
  public struct Missing: Error, CustomStringConvertible {
    public let variable: String

    public init(variable: String) {
      self.variable = variable
    }

    public var description: String {
      "\(variable) is not set: this test needs the real PostgreSQL and RGW. Run scripts/test, or start them with "
        + "eval \"$(scripts/services up)\" and run swift test in that shell."
    }
  }

  public static func require(_ variable: String) throws -> String {
    guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
      throw Missing(variable: variable)
    }
    return value
  }

  /// Superuser URL of the test cluster (password included).
  public static func superuserURL() throws -> String { try require("DR_TEST_PG_URL") }
  /// The password-authenticated non-superuser's URL, without its password.
  public static func userURL() throws -> String { try require("DR_TEST_PG_USER_URL") }
  public static func userPassword() throws -> String { try require("DR_TEST_PG_USER_PASSWORD") }
  public static func postgresPort() throws -> String { try require("DR_TEST_PG_PORT") }
  public static func s3Endpoint() throws -> String { try require("AWS_ENDPOINT_URL") }
  public static func accessKeyID() throws -> String { try require("AWS_ACCESS_KEY_ID") }
  public static func secretAccessKey() throws -> String { try require("AWS_SECRET_ACCESS_KEY") }
  /// The second RGW user's keys (`dr-spare`): the failover's credentials.
  public static func spareAccessKeyID() throws -> String { try require("DR_TEST_SPARE_ACCESS_KEY_ID") }
  public static func spareSecretAccessKey() throws -> String { try require("DR_TEST_SPARE_SECRET_ACCESS_KEY") }

  /// A URL for `database` on the test cluster, as the superuser.
  public static func superuserURL(database: String) throws -> String {
    let base = try superuserURL()
    guard let slash = base.range(of: "/", options: .backwards) else { return base }
    return base[..<slash.upperBound] + database
  }
}
