import DRBackup
import DRCore
import DRFailover
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// The failover end to end: the summit sample database backed up with the production
/// keys, then the whole stack (PostgreSQL, memcached, the demo app, haproxy) rebuilt with
/// the spare keys alone, checked through haproxy, resumed after a failed step, stopped.
struct FailoverCommandTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  struct Stack {
    let fixture: BackupFixture
    let state: String
    let ports: [String: Int]

    /// dr with the spare keys only: production's are taken out of the environment.
    func run(_ arguments: [String]) async throws -> DRBinary.Result {
      try await DRBinary.run(
        arguments + ["--policy", fixture.policyFile],
        environment: try BackupFixture.spareKeysOnly(["DR_STATE_DIR": state]))
    }

    /// The failover's state directory (the local driver's).
    var environmentDirectory: String {
      BackupFixture.failoverDirectory(state: state)
    }
  }

  /// A stack whose backup is made with `backup` (the policy's `backup:` mapping); `failover`
  /// adds keys to the failover environment; `before` gives SQL the superuser runs before the
  /// backup, from the database's name.
  func stack(
    _ label: String, backup: String = BackupFixture.defaultBackup, failover: String = "",
    before: (String) -> String = { _ in "" }
  ) async throws -> Stack {
    let fixture = try await BackupFixture.make(label)
    let owner = try await PGConnection.connect(try fixture.userURL(withPassword: true))
    _ = try await owner.query(
      try String(contentsOfFile: "\(Self.repository)/scripts/sample/summit.sql", encoding: .utf8))
    let prepared = before(fixture.database)
    if !prepared.isEmpty { _ = try await PGConnection.connect(try TestServices.superuserURL()).query(prepared) }
    let ports = try LoopbackPort.free(for: ["postgresql", "memcached", "app", "haproxy"])
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(),
      extra: """
        stack:
          postgresql: {port: \(ports["postgresql"]!)}
          memcached: {port: \(ports["memcached"]!)}
          app: {command: "/usr/bin/python3 \(Self.repository)/examples/summit-app/app.py", port: \(ports["app"]!), health: /health, needs: [postgresql, memcached]}
          haproxy: {port: \(ports["haproxy"]!), backends: [app]}
        environments:
          production: {}
          failover:
            credentials: {access_key_id: "${DR_TEST_SPARE_ACCESS_KEY_ID}", secret_access_key: "${DR_TEST_SPARE_SECRET_ACCESS_KEY}"}
        \(failover)

        """, backup: backup)
    #expect(try await fixture.run(["backup"]).status == 0)
    try await fixture.allowSpareUser()
    return Stack(fixture: fixture, state: TemporaryDirectory.unique("dr-failover-state"), ports: ports)
  }

  func get(_ port: Int, _ path: String) async throws -> ProcessRunner.Output {
    try await ProcessRunner.run("/usr/bin/curl", ["-sf", "--max-time", "5", "http://127.0.0.1:\(port)\(path)"])
  }

  @Test func aFailoverWithTheSpareKeysServesTheRestoredDataThroughHAProxy() async throws {
    let stack = try await stack("failover")
    let plan = try await stack.run(["plan", "--env", "failover", "--json"])
    #expect(plan.status == 0, "\(plan.combined)")
    let object = try plan.jsonObject()
    let steps = (object["steps"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
    #expect(steps == ["postgresql", "restore", "memcached", "app", "haproxy", "end-to-end"])
    #expect((object["backup"] as? [String: Any])?["id"] != nil)

    let failover = try await stack.run(["restore", "--env", "failover", "--yes", "--json"])
    #expect(failover.status == 0, "\(failover.combined)")
    let record = try failover.jsonObject()
    #expect(record["outcome"] as? String == "completed")
    #expect((record["rto_seconds"] as? Double ?? 0) > 0)
    #expect(record["rpo_seconds"] != nil)
    let meetings = try await get(stack.ports["haproxy"]!, "/meetings")
    #expect(meetings.status == 0)
    #expect(meetings.standardOutput.contains("Summit 2001"), "\(meetings.standardOutput)")
    let health = try await get(stack.ports["haproxy"]!, "/health")
    #expect(health.standardOutput.contains("\"meetings\": 30"), "\(health.standardOutput)")

    let down = try await stack.run(["down", "--env", "failover", "--purge"])
    #expect(down.status == 0, "\(down.combined)")
    #expect(try await get(stack.ports["haproxy"]!, "/health").status != 0)
    for port in stack.ports.values { #expect(!LoopbackPort.isTaken(port), "port \(port) still in use") }
    #expect(!FileManager.default.fileExists(atPath: stack.environmentDirectory))
    await stack.fixture.remove()
  }

  @Test func aFailedStepStopsTheRunAndTheNextRunResumes() async throws {
    let stack = try await stack("resume")
    // Something else holds memcached's port: the run must stop there, saying so.
    let squatter = try LoopbackListener(port: stack.ports["memcached"]!)
    let first = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(first.status == 1)
    #expect(first.standardError.contains("stopped at memcached"), "\(first.standardError)")
    squatter.close()
    let second = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(second.status == 0, "\(second.combined)")
    #expect(second.standardOutput.contains("already running on"), "PostgreSQL was kept: \(second.standardOutput)")
    #expect(second.standardOutput.contains("already restored"), "\(second.standardOutput)")
    #expect(try await get(stack.ports["haproxy"]!, "/meetings").standardOutput.contains("Summit"))
    _ = try await stack.run(["down", "--env", "failover", "--purge"])
    for port in stack.ports.values { #expect(!LoopbackPort.isTaken(port), "port \(port) still in use") }
    await stack.fixture.remove()
  }

  @Test func aDrillRunsOnPortsOfItsOwnAndLeavesNothing() async throws {
    let stack = try await stack("drill")
    // The stack's ports are held, as a running production stack holds them: a drill that
    // reached for one of them would fail. (Probing them afterwards instead would race any
    // other test that happens to be given one of those ports meanwhile.)
    let held = try stack.ports.values.map { try LoopbackListener(port: $0) }
    let drill = try await stack.run(["drill", "--env", "failover", "--json"])
    for listener in held { listener.close() }
    #expect(drill.status == 0, "the drill must run beside the stack's ports: \(drill.combined)")
    let record = try drill.jsonObject()
    #expect(record["kind"] as? String == "drill")
    #expect((record["steps"] as? [[String: String]])?.count == 6)
    #expect(try FileManager.default.contentsOfDirectory(atPath: stack.state).isEmpty)
    let records = try await stack.fixture.keys(under: stack.fixture.layout.root + "drills/")
    #expect(records.count == 1)
    let plan = try await stack.run(["plan", "--env", "failover"])
    #expect(plan.standardOutput.contains("(the last drill)"), "\(plan.standardOutput)")
    await stack.fixture.remove()
  }
}

/// A socket listening on 127.0.0.1:PORT, to take a port away from a step. It sets
/// SO_REUSEADDR, as servers do, so it listens on a port `LoopbackPort.free()` still holds.
final class LoopbackListener: @unchecked Sendable {
  private let fd: Int32

  init(port: Int) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 4) == 0 else {
      Glibc.close(fd)
      throw SystemError("cannot listen on \(port)")
    }
  }

  func close() { Glibc.close(fd) }
}

extension BackupFixture {
  /// The local driver's directory for the policy's `failover` environment, under `state`
  /// (`DR_STATE_DIR`).
  static func failoverDirectory(state: String) -> String {
    StateDirectory.forEnvironment(policy: policyName, environment: "failover", variables: ["DR_STATE_DIR": state])
  }
}
