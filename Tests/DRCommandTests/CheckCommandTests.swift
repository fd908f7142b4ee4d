import DRS3
import DRTestSupport
import Foundation
import Testing

/// `dr check` against the real PostgreSQL and RGW.
struct CheckCommandTests {
  func policy(databaseURL: String, endpoint: String) -> String {
    """
    name: check-test
    database: {url: "\(databaseURL)"}
    storage: {url: "s3://dr-check-test/p/", endpoint: "\(endpoint)", region: us-east-1}

    """
  }

  /// The bucket the check lists, created with the test keys.
  func createBucket() async throws {
    try await TestS3.client().createBucket("dr-check-test")
  }

  func writePolicy(_ text: String) throws -> (directory: String, file: String) {
    let directory = TemporaryDirectory.unique("dr-check")
    let file = "\(directory)/check.yaml"
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    return (directory, file)
  }

  @Test func passesAgainstTheRealServicesWithPasswordFromEnvironment() async throws {
    try await createBucket()
    let (directory, file) = try writePolicy(
      policy(databaseURL: try TestServices.userURL(), endpoint: try TestServices.s3Endpoint()))
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let result = try await DRBinary.run(
      ["check", "--policy", file, "--json"], environment: ["PGPASSWORD": try TestServices.userPassword()])
    #expect(result.status == 0, "\(result.combined)")
    let report = try result.jsonObject()
    #expect(report["ok"] as? Bool == true)
    let checks = report["checks"] as? [[String: String]] ?? []
    #expect(checks.map { $0["name"] } == ["policy", "database", "pg_dump", "compression", "verify", "storage"])
    #expect(checks.allSatisfy { $0["status"] == "ok" }, "\(checks)")
    #expect(checks[1]["detail"]?.contains("PostgreSQL 15") == true)
  }

  @Test func passwordFromPolicyVariableIsNeverPrinted() async throws {
    try await createBucket()
    let password = try TestServices.userPassword()
    let userURL = try TestServices.userURL()
    let withPassword = userURL.replacingOccurrences(of: "dr_user@", with: "dr_user:${DR_CHECK_TEST_PW}@")
    let (directory, file) = try writePolicy(policy(databaseURL: withPassword, endpoint: try TestServices.s3Endpoint()))
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let good = try await DRBinary.run(
      ["check", "--policy", file], environment: ["DR_CHECK_TEST_PW": password, "PGPASSWORD": nil])
    #expect(good.status == 0, "\(good.combined)")
    #expect(!good.combined.contains(password))
    let bad = try await DRBinary.run(
      ["check", "--policy", file], environment: ["DR_CHECK_TEST_PW": "not-the-password-42", "PGPASSWORD": nil])
    #expect(bad.status == 1)
    #expect(bad.standardOutput.contains("FAILED"))
    #expect(bad.standardOutput.contains("password authentication failed"))
    #expect(!bad.combined.contains("not-the-password-42"))
  }

  @Test func missingBucketAndWrongSecretAreExplained() async throws {
    let endpoint = try TestServices.s3Endpoint()
    let text = policy(databaseURL: try TestServices.userURL(), endpoint: endpoint)
    let (directory, file) = try writePolicy(text.replacingOccurrences(of: "dr-check-test", with: "dr-check-absent"))
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let password = ["PGPASSWORD": try TestServices.userPassword()]
    let missing = try await DRBinary.run(["check", "--policy", file], environment: password)
    #expect(missing.status == 1)
    #expect(missing.standardOutput.contains("NoSuchBucket"), "\(missing.standardOutput)")
    #expect(missing.standardOutput.contains("Create the bucket"))
    let wrong = "wrong-secret-0123456789abcdefghijklmnop"
    let rejected = try await DRBinary.run(
      ["check", "--policy", file], environment: password.merging(["AWS_SECRET_ACCESS_KEY": wrong]) { $1 })
    #expect(rejected.status == 1)
    #expect(rejected.standardOutput.contains("SignatureDoesNotMatch"), "\(rejected.standardOutput)")
    #expect(rejected.standardOutput.contains("environment (AWS_ACCESS_KEY_ID)"))
    #expect(!rejected.combined.contains(wrong))
  }

  @Test func unreachableServicesFailWithExitOne() async throws {
    let (directory, file) = try writePolicy(
      policy(databaseURL: "postgresql://u@127.0.0.1:1/db", endpoint: "http://127.0.0.1:1"))
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let result = try await DRBinary.run(["check", "--policy", file])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("FAILED  database"))
    #expect(result.standardOutput.contains("FAILED  storage"))
    #expect(result.standardOutput.contains("2 check(s) failed"))
  }

  /// Every storage check answers with a preflight's short retry budget, the Object Lock
  /// check too: with the default one, a dead endpoint kept `dr check` retrying for minutes.
  @Test func anUnreachableLockedBucketIsGivenUpQuickly() async throws {
    let text =
      policy(databaseURL: "postgresql://u@127.0.0.1:1/db", endpoint: "http://127.0.0.1:1")
      + "retention: {keep_last: 2, lock: {mode: governance, days: 1}}\n"
    let (directory, file) = try writePolicy(text)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let result = try await DRBinary.run(["check", "--policy", file])
    #expect(result.status == 1)
    let lock = result.standardOutput.split(separator: "\n").first { $0.contains("FAILED  lock") }
    #expect(lock?.contains("gave up after 2 attempts") == true, "\(result.standardOutput)")
  }
}
