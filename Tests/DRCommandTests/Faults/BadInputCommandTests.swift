import DRTestSupport
import Foundation
import Testing

/// Bad input on the command line and in policy files, through the `dr` binary: exit 2,
/// a message naming the file and key (or the option), nothing on standard output, and no
/// request to any service (the policies point at nothing that listens).
struct BadInputCommandTests {
  static let valid = """
    name: cli
    database: {url: "postgresql://u@127.0.0.1:1/db"}
    storage: {url: "s3://bucket-1/p/", endpoint: "http://127.0.0.1:1"}

    """

  /// Policy mistakes of every kind the issue names, beyond PolicyErrorCommandTests' five.
  static let policies: [(yaml: String, key: String)] = [
    (valid + "backup: {schedule: \"0 0 31 2 *\"}\n", "backup.schedule"),
    (valid.replacingOccurrences(of: "http://127.0.0.1:1", with: "http://127.0.0.1:99999"), "storage.endpoint"),
    (valid + "notify: {webhook: \"https://h/x\", secret: \"${DR_CLI_TEST_UNSET_SECRET}\"}\n", "notify.secret"),
    (valid + "stack: {memcached: {port: 11211, memory_mb: 64MB}}\n", "stack.memcached.memory_mb"),
    (valid + "verify: {max_age: 0s}\n", "verify.max_age"),
    (valid + "verify: {checks: [{name: a, sql: x, timeout: 5}]}\n", "verify.checks[0].timeout"),
    (valid + "retention: {keep_last: 0}\n", "retention.keep_last"),
    (valid + "backup: {compression: {codec: xz}}\n", "backup.compression.codec"),
    (valid + "environments: {failover: {driver: k8s}}\n", "environments.failover.driver"),
    (valid.replacingOccurrences(of: "name: cli", with: "name: \"../../etc\""), "name"),
    (valid.replacingOccurrences(of: "s3://bucket-1/p/", with: "s3://bucket-1/../p/"), "storage.url"),
    (valid + "stack: {postgresql: {port: 1}, haproxy: {port: 2, backends: [postgresql]}}\n", "stack.haproxy.backends"),
    (valid + "stack: {app: {command: \"app --x 1; rm -rf /\", port: 8000}}\n", "stack.app.command"),
    (valid + "stack: {app: {command: app, port: 8000, environment: {PORT: \"1\"}}}\n", "stack.app.environment.PORT"),
  ]

  @Test func malformedPoliciesExitTwoNamingFileAndKey() async throws {
    let directory = TemporaryDirectory.unique("dr-bad-input")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var tally = FaultTally("malformed policies through dr check and dr backup")
    for (index, policy) in Self.policies.enumerated() {
      let file = "\(directory)/bad-\(index).yaml"
      try policy.yaml.write(toFile: file, atomically: true, encoding: .utf8)
      for command in [["check"], ["backup"], ["verify"], ["list"]] {
        let result = try await DRBinary.run(
          command + ["--policy", file], environment: ["DR_CLI_TEST_UNSET_SECRET": nil])
        tally.badInputs += 1
        #expect(result.status == 2, "\(command) \(file): \(result.combined)")
        #expect(result.standardError.contains(file), "\(result.standardError)")
        #expect(result.standardError.contains("\(policy.key):"), "\(policy.key): \(result.standardError)")
        #expect(result.standardOutput.isEmpty, "\(result.standardOutput)")
      }
    }
    await FaultLedger.record(tally)
  }

  /// Options with values that cannot be: exit 2, naming the option.
  static let options: [(arguments: [String], names: String)] = [
    (["prune", "--incomplete-grace", "5x"], "--incomplete-grace"),
    (["prune", "--incomplete-grace", "0s"], "--incomplete-grace"),
    (["report", "--since", "3y"], "--since"),
    (["report", "--format", "pdf"], "--format"),
    (["list", "--log-format", "xml"], "--log-format"),
    (["verify", "--backup", "20261124T221900Z-7f3a/../x"], "--backup"),
    (["restore", "--target", "mysql://u@h/db"], "--target"),
    (["restore", "--target", "postgresql://u@h/db", "--env", "failover"], "--target"),
    (["restore", "--backup", "all-unverified", "--target", "postgresql://u@h/db"], "--backup"),
    (["s3", "cp", "--parts-in-flight", "0", "a", "s3://b/k"], "--parts-in-flight"),
    (["s3", "cp", "a", "b"], "s3://bucket/key"),
    (["s3", "ls", "s3:/b"], "s3://"),
  ]

  @Test func impossibleOptionsExitTwoNamingTheOption() async throws {
    let directory = TemporaryDirectory.unique("dr-bad-options")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let policy = "\(directory)/cli.yaml"
    try Self.valid.write(toFile: policy, atomically: true, encoding: .utf8)
    var tally = FaultTally("impossible command-line options")
    for option in Self.options {
      let result = try await DRBinary.run(option.arguments + ["--policy", policy])
      tally.badInputs += 1
      #expect(result.status == 2, "\(option.arguments): \(result.combined)")
      #expect(result.standardError.contains(option.names), "\(option.arguments): \(result.standardError)")
    }
    await FaultLedger.record(tally)
  }
}
