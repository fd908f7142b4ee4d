import DRTestSupport
import Foundation
import Testing

/// `--json` on every command, also when it fails: exactly one JSON object on standard
/// output with `"outcome": "failed"` and `error` {code, message}, the exit status the
/// contract gives that failure, and nothing else on standard output.
struct JSONFailureCommandTests {
  static let unreachable = """
    name: cli
    database: {url: "postgresql://u@127.0.0.1:1/db"}
    storage: {url: "s3://bucket-1/p/", endpoint: "http://127.0.0.1:1", region: us-east-1}
    environments: {failover: {}}

    """
  static let bad = unreachable + "retention: {keep_lats: 3}\n"
  static let target = "postgresql://u@127.0.0.1:1/restored"

  /// Every command, as it is run against a policy (appended: `--policy FILE --json`).
  static let commands: [[String]] = [
    ["backup"], ["list"], ["show"], ["verify"], ["report"], ["prune"], ["check"], ["copy"],
    ["restore", "--target", target], ["restore", "--target", target, "--dry-run"], ["plan", "--env", "failover"],
    ["drill", "--env", "failover"], ["restore", "--env", "failover", "--yes"], ["down", "--env", "failover"],
    ["s3", "ls", "s3://bucket-1/"], ["s3", "rm", "s3://bucket-1/k"], ["s3", "mb", "s3://bucket-2"],
    ["s3", "presign", "s3://bucket-1/k"], ["s3", "cp", "s3://bucket-1/k", "/tmp/dr-json-failure-never-written"],
    ["key", "generate"],
  ]

  struct Outcome {
    let status: Int32
    let object: [String: Any]
    var code: String { (object["error"] as? [String: Any])?["code"] as? String ?? "" }
    var message: String { (object["error"] as? [String: Any])?["message"] as? String ?? "" }
  }

  static func run(_ arguments: [String], policy yaml: String?) async throws -> (Outcome, DRBinary.Result) {
    let directory = TemporaryDirectory.unique("dr-json-failure")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var full = arguments
    if let yaml {
      try yaml.write(toFile: "\(directory)/cli.yaml", atomically: true, encoding: .utf8)
      full += ["--policy", "\(directory)/cli.yaml"]
    }
    let result = try await DRBinary.run(
      full + ["--json"],
      environment: ["DR_S3_RETRY_ATTEMPTS": "1", "DR_STATE_DIR": directory, "DR_POLICY_DIR": directory],
      directory: directory)
    let object = try result.jsonObject()
    return (Outcome(status: result.status, object: object), result)
  }

  @Test(arguments: commands)
  func aBadPolicyIsOneFailureObjectExitingTwo(_ arguments: [String]) async throws {
    let (outcome, result) = try await Self.run(arguments, policy: Self.bad)
    #expect(result.status == 2, "\(result.combined)")
    #expect(outcome.object["outcome"] as? String == "failed")
    #expect(outcome.code == "policy.invalid", "\(result.standardOutput)")
    #expect(outcome.message.contains("retention.keep_lats"), "\(result.standardOutput)")
    #expect(result.standardError.contains("retention.keep_lats"), "the message on standard error stays")
  }

  /// Commands that reach the bucket, which does not answer: exit 1, the S3 layer's code.
  @Test(arguments: [
    ["list"], ["show"], ["verify"], ["report"], ["prune"], ["restore", "--target", target],
    ["plan", "--env", "failover"], ["s3", "ls", "s3://bucket-1/"], ["s3", "rm", "s3://bucket-1/k"],
  ])
  func anUnreachableBucketIsOneFailureObjectExitingOne(_ arguments: [String]) async throws {
    let (outcome, result) = try await Self.run(arguments, policy: Self.unreachable)
    #expect(result.status == 1, "\(result.combined)")
    #expect(outcome.object["outcome"] as? String == "failed")
    #expect(outcome.code.hasPrefix("s3.") || outcome.code.hasPrefix("http."), "\(result.standardOutput)")
    #expect(!outcome.message.isEmpty)
    #expect(outcome.object["category"] as? String == "storage", "\(result.standardOutput)")
  }

  /// No credentials anywhere: the code names the case (`credentials.noCredentials`), not the
  /// error's long description. (Instance metadata is turned off: the network stays loopback.)
  @Test func noCredentialsIsNamedByItsCase() async throws {
    let directory = TemporaryDirectory.unique("dr-json-nocreds")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try Self.unreachable.write(toFile: "\(directory)/cli.yaml", atomically: true, encoding: .utf8)
    var environment: [String: String?] = ["HOME": directory, "AWS_EC2_METADATA_DISABLED": "true"]
    for name in [
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE",
      "AWS_CONFIG_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
    ] {
      environment[name] = .some(nil)
    }
    let result = try await DRBinary.run(
      ["list", "--policy", "\(directory)/cli.yaml", "--json"], environment: environment)
    #expect(result.status == 1, "\(result.combined)")
    let error = try result.jsonObject()["error"] as? [String: Any]
    #expect(error?["code"] as? String == "credentials.noCredentials", "\(result.standardOutput)")
  }

  /// A command whose own result says what failed keeps it, with `outcome` and `error` added.
  @Test func aFailedCheckIsItsReportWithOutcomeAndError() async throws {
    let (outcome, result) = try await Self.run(["check"], policy: Self.unreachable)
    #expect(result.status == 1, "\(result.combined)")
    #expect(outcome.object["outcome"] as? String == "failed")
    #expect(outcome.code == "check.failed")
    #expect(outcome.object["ok"] as? Bool == false)
    #expect((outcome.object["checks"] as? [Any])?.isEmpty == false, "the report is still there")
  }

  /// Usage errors, also those ArgumentParser finds before any option is parsed: `--json`
  /// among the arguments is enough for the failure object (code `usage`, exit 2).
  @Test(arguments: [
    ["--json", "no-such-command"], ["backup", "--no-such-option", "--json"], ["--json", "list", "--log-format", "xml"],
    ["prune", "--incomplete-grace", "5x", "--json"], ["s3", "cp", "a", "b", "--json"], ["--json", "restore"],
  ])
  func usageErrorsAreFailureObjectsToo(_ arguments: [String]) async throws {
    let result = try await DRBinary.run(arguments)
    #expect(result.status == 2, "\(result.combined)")
    let object = try result.jsonObject()
    #expect(object["outcome"] as? String == "failed")
    #expect((object["error"] as? [String: Any])?["code"] as? String == "usage", "\(result.standardOutput)")
    let message = (object["error"] as? [String: Any])?["message"] as? String ?? ""
    #expect(!message.isEmpty && !message.contains("USAGE:"), "the message without the usage text: \(message)")
  }

  /// Without `--json`, nothing changes: no object on standard output.
  @Test func withoutJSONStandardOutputStaysEmpty() async throws {
    let result = try await DRBinary.run(["--policy", "/nonexistent/cli.yaml", "list"])
    #expect(result.status == 2)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError.hasPrefix("dr: "))
  }

  /// With `--log-format json`, the error that ends dr is a JSON log line with its code, the
  /// exit status as a number, and the policy once it was loaded.
  @Test func theFinalErrorIsAJSONLogLine() async throws {
    let (_, unreachable) = try await Self.run(["list", "--log-format", "json"], policy: Self.unreachable)
    let last = try #require(unreachable.standardError.split(separator: "\n").last.map(String.init))
    let line = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(last)")
    #expect(line["level"] as? String == "error")
    #expect((line["error_code"] as? String)?.hasPrefix("s3.") == true, "\(last)")
    #expect(last.contains(#""exit_status":1"#), "a number: \(last)")
    #expect(line["policy"] as? String == "cli")
    for other in unreachable.standardError.split(separator: "\n") {
      #expect((try? JSONSerialization.jsonObject(with: Data(other.utf8))) != nil, "every line is JSON: \(other)")
    }
    let usage = try await DRBinary.run(["list", "--log-format", "json", "--no-such-option"])
    #expect(usage.status == 2)
    #expect(usage.standardError.contains(#""error_code":"usage""#), "\(usage.standardError)")
    #expect(usage.standardError.contains(#""policy":null"#), "\(usage.standardError)")
  }
}
