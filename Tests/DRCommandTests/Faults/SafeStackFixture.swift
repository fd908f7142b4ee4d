import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A failover stack (PostgreSQL, memcached, an app that records what it was given) over a
/// small backup, run by dr with planted secrets in its environment, its state in a
/// directory whose path holds a single quote and a space.
struct SafeStackFixture {
  let fixture: BackupFixture
  let canaries: SecretCanaries
  let ports: [String: Int]
  /// `DR_STATE_DIR`.
  let state: String
  /// The app's value of `--tag`: shell syntax and a space, from `${DR_T_TAG}`.
  let tag: String
  /// The file the hostile tag would create if a shell ever read it.
  let marker: String

  var environmentDirectory: String {
    BackupFixture.failoverDirectory(state: state)
  }
  /// Where the app writes its environment (from /proc/self/environ) and arguments, as JSON.
  var record: String { "\(canaries.directory)/app-record.json" }
  /// A passphrase in dr's environment, as a policy's `passphrase: ${…}` would use.
  var passphrase: String { "CanaryPassphrase" + canaries.suffix + canaries.suffix }
  /// The secrets the app must not see.
  var planted: [String] { canaries.all + [passphrase] }

  static func make(_ label: String) async throws -> SafeStackFixture {
    let canaries = try SecretCanaries()
    let marker = "\(canaries.directory)/injected"
    let stack = SafeStackFixture(
      fixture: try await BackupFixture.make(label), canaries: canaries,
      ports: try LoopbackPort.free(for: ["postgresql", "memcached", "app"]),
      state: "\(canaries.directory)/it's a state", tag: "a b'; touch \(marker) #$(touch \(marker)) `touch \(marker)`",
      marker: marker)
    try FileManager.default.createDirectory(atPath: stack.state, withIntermediateDirectories: true)
    try recordingApp.write(toFile: "\(canaries.directory)/app.py", atomically: true, encoding: .utf8)
    try stack.fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: stack.policy)
    // The policy names ${DR_T_TAG} and ${DR_T_MODE}: every run needs them.
    let backup = try await stack.fixture.run(["backup"], ["DR_T_TAG": stack.tag, "DR_T_MODE": "backup"])
    #expect(backup.status == 0, "\(backup.combined)")
    try await stack.fixture.allowSpareUser()
    return stack
  }

  var policy: String {
    """
    stack:
      postgresql: {port: \(ports["postgresql"]!)}
      memcached: {port: \(ports["memcached"]!)}
      app:
        command: "/usr/bin/python3 \(canaries.directory)/app.py --tag ${DR_T_TAG} --out \(record) --port $PORT"
        port: \(ports["app"]!)
        health: /health
        needs: [postgresql, memcached]
        environment: {APP_MODE: "${DR_T_MODE}", APP_GREETING: hello world}
    environments:
      production: {}
      failover:
        credentials: {access_key_id: "${DR_TEST_SPARE_ACCESS_KEY_ID}", secret_access_key: "${DR_TEST_SPARE_SECRET_ACCESS_KEY}"}

    """
  }

  /// dr with the spare keys in the policy and secrets planted around them: a production
  /// secret key, a session token, PGPASSWORD, a webhook secret, a passphrase.
  func run(_ arguments: [String]) async throws -> DRBinary.Result {
    try await DRBinary.run(
      arguments + ["--policy", fixture.policyFile],
      environment: [
        "DR_STATE_DIR": state, "AWS_ACCESS_KEY_ID": nil, "AWS_SECRET_ACCESS_KEY": canaries.wrongSecretKey,
        "AWS_SESSION_TOKEN": canaries.sessionToken, "PGPASSWORD": canaries.databasePassword,
        "DR_WEBHOOK_SECRET": canaries.webhookSecret, "DR_BACKUP_PASSPHRASE": passphrase, "DR_T_TAG": tag,
        "DR_T_MODE": "failover mode",
      ])
  }

  /// What the app recorded: its environment and its arguments.
  func appRecord() throws -> (environment: [String: String], arguments: [String]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: record))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return (object?["environ"] as? [String: String] ?? [:], object?["argv"] as? [String] ?? [])
  }

  /// The generated password in `name` (postgres.password, app.password).
  func password(_ name: String) throws -> String {
    try StackPasswordFiles.read(name, in: environmentDirectory)
  }

  /// psql over TCP to the failover cluster as `user`, with `password` or none (no
  /// PGPASSWORD, no password file); its exit status and error output.
  func psql(user: String, database: String, password: String?) async throws -> ProcessRunner.Output {
    var environment = ["PATH": "/usr/bin:/bin"]
    environment["PGPASSWORD"] = password
    let conninfo =
      "host=127.0.0.1 port=\(ports["postgresql"]!) user=\(user) dbname=\(database) passfile=/nonexistent connect_timeout=5"
    return try await ProcessRunner.run(
      "\(try TestServices.require("DR_TEST_PG_BINDIR"))/psql", ["-X", "-w", "-At", "-d", conninfo, "-c", "SELECT 1"],
      environment: environment)
  }

  func remove() async {
    _ = try? await run(["down", "--env", "failover", "--purge"])
    await fixture.remove()
    try? FileManager.default.removeItem(atPath: canaries.directory)
  }

  /// The app: records /proc/self/environ (what it was started with) and its arguments,
  /// then answers 200 on PORT.
  static let recordingApp = #"""
    import json, os, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer
    args = sys.argv[1:]
    out = args[args.index("--out") + 1]
    with open("/proc/self/environ", "rb") as f:
        items = [item.decode() for item in f.read().split(b"\0") if item]
    environ = dict(item.split("=", 1) for item in items)
    with open(out + ".tmp", "w") as f:
        json.dump({"environ": environ, "argv": args}, f)
    os.rename(out + ".tmp", out)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    HTTPServer(("127.0.0.1", int(args[args.index("--port") + 1])), Handler).serve_forever()
    """#
}
