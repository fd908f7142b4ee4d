import DRCore
import DRTestSupport
import Foundation
import Testing

/// A drill holds the ports it chose from the moment it chooses them, so no other program is
/// handed one meanwhile, and lets go of each just before it starts a component there.
struct DrillPortTests {
  /// An app whose server binds without SO_REUSEADDR: the bind fails on a port any other
  /// socket is bound to, even one that does not listen.
  static let app = """
    import http.server, os
    class Server(http.server.HTTPServer):
        allow_reuse_address = False
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")
        def log_message(self, *args):
            pass
    Server(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
    """

  /// Injected: a drill of a stack whose app binds its port without SO_REUSEADDR.
  /// Asserted: the drill ends 0 with its app step done, so dr let go of the app's port
  /// before starting it; the state directory is left empty.
  @Test func aDrillsAppThatCannotShareItsPortStillGetsIt() async throws {
    let fixture = try await BackupFixture.make("drillport")
    let directory = TemporaryDirectory.unique("dr-drill-app")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Self.app.write(toFile: "\(directory)/app.py", atomically: true, encoding: .utf8)
    let ports = try LoopbackPort.free(for: ["postgresql", "app"])
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(),
      extra: """
        stack:
          postgresql: {port: \(ports["postgresql"]!)}
          app: {command: "/usr/bin/python3 \(directory)/app.py", port: \(ports["app"]!), health: /, needs: [postgresql]}
        environments:
          failover:
            credentials: {access_key_id: "${DR_TEST_SPARE_ACCESS_KEY_ID}", secret_access_key: "${DR_TEST_SPARE_SECRET_ACCESS_KEY}"}

        """)
    let backup = try await fixture.run(["backup"])
    #expect(backup.status == 0, "\(backup.combined)")
    try await fixture.allowSpareUser()
    let state = TemporaryDirectory.unique("dr-drill-state")
    defer { try? FileManager.default.removeItem(atPath: state) }
    try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)

    let drill = try await DRBinary.run(
      ["drill", "--env", "failover", "--json", "--policy", fixture.policyFile],
      environment: try BackupFixture.spareKeysOnly(["DR_STATE_DIR": state]))
    #expect(drill.status == 0, "\(drill.combined)")
    let steps = try drill.jsonObject()["steps"] as? [[String: String]] ?? []
    #expect(steps.map { $0["name"] ?? "" } == ["postgresql", "restore", "app", "end-to-end"], "\(steps)")
    #expect(steps.first { $0["name"] == "app" }?["outcome"] == "ok", "\(steps)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: state).isEmpty)
    await fixture.remove()
  }
}
