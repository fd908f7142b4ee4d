import DRCore
import DRTestSupport
import Foundation
import Testing

/// `dr verify` and `dr restore` say how far they are: off a terminal, a log line every
/// 10 s with the phase, the dump's bytes restored against its size, and tables loaded.
@Suite(.scenarioGate)
struct RestoreProgressTests {
  @Test(arguments: ["verify", "restore"])
  func aSlowRestoreLogsItsProgress(command: String) async throws {
    let fixture = try await BackupFixture.make("progress\(command)", fillerRows: 30_000)
    #expect(try await fixture.run(["backup"]).status == 0)
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 20_000
    try fixture.writePolicy(endpoint: proxy.endpoint)
    let target = "dr_progress_\(UUID().uuidString.prefix(6).lowercased())"
    let arguments =
      command == "verify"
      ? ["verify"] : ["restore", "--target", try TestServices.superuserURL(database: target), "--no-owner"]
    let dr = try ChildProcess(
      DRBinary.path, arguments + ["--policy", fixture.policyFile], environment: try fixture.environment())
    var line: Substring?
    for _ in 0..<900 where line == nil {
      line = dr.standardError.split(separator: "\n").first { $0.contains("restoring: ") }
      if line == nil { try await Task.sleep(for: .milliseconds(100)) }
    }
    let shown = try #require(line, "no progress line in 90 s: \(dr.standardError)")
    #expect(shown.contains(" of "), "the dump's size: \(shown)")
    #expect(shown.contains("%"), "\(shown)")
    #expect(shown.contains("tables"), "\(shown)")
    kill(dr.pid, SIGTERM)
    #expect(await dr.wait() == .exited(143), "\(dr.standardError)")
    proxy.bandwidthLimit = nil
    await fixture.remove()
  }
}
