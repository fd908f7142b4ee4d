import DRTestSupport
import Foundation
import Testing

/// `dr check` with a broken policy: exit 2, and a message naming the file and the key.
struct PolicyErrorCommandTests {
  static let valid = """
    name: cli
    database: {url: "postgresql://u@127.0.0.1:1/db"}
    storage: {url: "s3://bucket-1/p/", endpoint: "http://127.0.0.1:1"}

    """

  struct Case: Sendable, CustomTestStringConvertible {
    let label: String
    let yaml: String
    let key: String
    var testDescription: String { label }
  }

  static let cases: [Case] = [
    Case(label: "unknown key", yaml: valid + "retention: {keep_lats: 3}\n", key: "retention.keep_lats"),
    Case(label: "wrong type", yaml: valid + "backup: {globals: [yes]}\n", key: "backup.globals"),
    Case(
      label: "bad URL", yaml: valid.replacingOccurrences(of: "s3://bucket-1/p/", with: "https://bucket-1/p/"),
      key: "storage.url"),
    Case(label: "bad cron", yaml: valid + "verify: {schedule: \"0 25 * * *\"}\n", key: "verify.schedule"),
    Case(
      label: "missing env var", yaml: valid + "notify: {webhook: \"${DR_CLI_TEST_UNSET_HOOK}\"}\n",
      key: "notify.webhook"),
  ]

  @Test(arguments: cases)
  func exitsTwoNamingFileAndKey(_ testCase: Case) async throws {
    let directory = TemporaryDirectory.unique("dr-bad-policy")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = "\(directory)/bad.yaml"
    try testCase.yaml.write(toFile: file, atomically: true, encoding: .utf8)
    for arguments in [["--policy", file, "check"], ["check", "--policy", file]] {
      let result = try await DRBinary.run(arguments, environment: ["DR_CLI_TEST_UNSET_HOOK": nil])
      #expect(result.status == 2, "\(result.combined)")
      #expect(result.standardError.contains(file), "\(result.standardError)")
      #expect(result.standardError.contains("\(testCase.key):"), "\(result.standardError)")
      #expect(result.standardOutput.isEmpty)
    }
  }

  /// gzip is refused by the policy check, before anything runs, with what to use instead
  /// and the line it is on.
  @Test func gzipIsRefusedByTheCheckWithWhatToUse() async throws {
    let directory = TemporaryDirectory.unique("dr-gzip-policy")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = "\(directory)/gzip.yaml"
    try (Self.valid + "backup:\n  compression: {codec: gzip, level: 6}\n").write(
      toFile: file, atomically: true, encoding: .utf8)
    for command in [["check"], ["backup"]] {
      let result = try await DRBinary.run(["--policy", file] + command)
      #expect(result.status == 2, "\(result.combined)")
      #expect(result.standardError.contains("\(file):5"), "\(result.standardError)")
      #expect(result.standardError.contains("backup.compression.codec:"), "\(result.standardError)")
      #expect(result.standardError.contains("gzip is not built into dr; use zstd"), "\(result.standardError)")
    }
  }

  @Test func unknownOptionIsUsageError() async throws {
    let result = try await DRBinary.run(["check", "--no-such-option"])
    #expect(result.status == 2)
    #expect(result.standardError.contains("--no-such-option"))
  }

  @Test func missingPolicyNameIsUsageError() async throws {
    let directory = TemporaryDirectory.unique("dr-empty")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let result = try await DRBinary.run(
      ["check", "--policy", "absent"], environment: ["DR_POLICY_DIR": directory], directory: directory)
    #expect(result.status == 2)
    #expect(result.standardError.contains("no policy named 'absent'"))
  }

  @Test func versionAndHelp() async throws {
    let version = try await DRBinary.run(["--version"])
    #expect(version.status == 0)
    #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    let help = try await DRBinary.run(["--help"])
    #expect(help.status == 0)
    #expect(help.standardOutput.contains("check"))
    #expect(!help.standardOutput.lowercased().contains("not implemented"))
  }
}
