import DRCore
import DRTestSupport
import Foundation
import Testing

struct JujuStandInTests {
  /// One line a call, arguments tab-separated and kept whole (spaces, quotes, empty ones);
  /// a failing prefix exits 1 with its message.
  @Test func logsEachCallsArgumentsOnALine() async throws {
    let standIn = try JujuStandIn(failing: [(prefix: "deploy -m m haproxy", message: "ERROR quota")])
    defer { standIn.remove() }
    let juju = "\(standIn.directory)/bin/juju"
    let first = try await ProcessRunner.run(juju, ["ssh", "a b", "", "it's \"x\""], environment: standIn.environment)
    let failed = try await ProcessRunner.run(juju, ["deploy", "-m", "m", "haproxy"], environment: standIn.environment)
    #expect(first.status == 0)
    #expect(failed.status == 1)
    #expect(failed.standardError == "ERROR quota\n")
    #expect(try standIn.calls() == [["ssh", "a b", "", "it's \"x\""], ["deploy", "-m", "m", "haproxy"]])
  }
}
