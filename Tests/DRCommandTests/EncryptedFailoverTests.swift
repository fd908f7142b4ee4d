import DRTestSupport
import Foundation
import Testing

/// A failover of an encrypted backup on a host that has only its own copy of the key
/// (`environments.failover.encryption`): production's key file is gone, the drill restores.
struct EncryptedFailoverTests {
  /// The `encryption` line of `dr check --env failover --json`.
  func encryptionCheck(_ stack: FailoverCommandTests.Stack) async throws -> [String: String]? {
    let check = try await stack.run(["check", "--env", "failover", "--json"])
    let checks = try check.jsonObject()["checks"] as? [[String: String]] ?? []
    return checks.first { $0["name"] == "encryption" }
  }

  @Test func aDrillOpensTheBackupWithTheEnvironmentsOwnKey() async throws {
    let keys = TemporaryDirectory.unique("dr-failover-keys")
    let production = "\(keys)/production.key"
    let spare = "\(keys)/spare.key"
    let generated = try await DRBinary.run(["key", "generate", "--output", production])
    #expect(generated.status == 0, "\(generated.combined)")
    try FileManager.default.copyItem(atPath: production, toPath: spare)
    let stack = try await FailoverCommandTests().stack(
      "encfailover",
      backup:
        "{compression: {codec: bzip2, level: 9, threads: 2}, globals: true, encryption: {key_file: \(production)}}",
      failover: "    encryption: {key_file: \(spare)}")
    let keyText = try String(contentsOfFile: spare, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    try FileManager.default.removeItem(atPath: production)

    let drill = try await stack.run(["drill", "--env", "failover"])
    #expect(drill.status == 0, "\(drill.combined)")
    #expect(drill.standardOutput.contains("drill complete"), "\(drill.standardOutput)")
    #expect(!drill.combined.contains(keyText))
    #expect(try await encryptionCheck(stack)?["status"] == "ok")

    try FileManager.default.removeItem(atPath: spare)
    let check = try await encryptionCheck(stack)
    #expect(check?["status"] == "failed")
    #expect(check?["detail"]?.contains("environments.failover.encryption.key_file \(spare) does not exist") == true)
    let keyless = try await stack.run(["drill", "--env", "failover"])
    #expect(keyless.status == 1, "\(keyless.combined)")
    #expect(keyless.combined.contains("environments.failover.encryption.key_file \(spare) does not exist"))
    await stack.fixture.remove()
    try? FileManager.default.removeItem(atPath: keys)
  }
}
