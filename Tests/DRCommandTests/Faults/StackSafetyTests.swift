import DRBackup
import DRCore
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// The failover's stack is safe to leave running (issue 15): its PostgreSQL asks everyone
/// for a password, the passwords appear nowhere but their files and the app's
/// DATABASE_URL, the app gets none of dr's secrets and no shell reads its command.
@Suite(.scenarioGate)
struct StackSafetyTests {
  /// Injected: a `${VAR}` value full of shell syntax in the app's command, secrets planted
  /// in dr's environment, a state directory whose path holds a quote and a space.
  /// Asserted: the stack runs; TCP without a password is refused for postgres and the app's
  /// role, the generated passwords work and are in 0600 files; the app's environment is
  /// exactly PORT, DATABASE_URL, MEMCACHED_SERVERS, PATH and its listed variables; the
  /// hostile value is one argument and ran nothing; no output, state or log file, nor the
  /// failover record, holds a generated password.
  @Test func theClusterAsksForPasswordsAndTheAppGetsOnlyWhatIsItsOwn() async throws {
    let stack = try await SafeStackFixture.make("stacksafe")
    var outputs: [(String, String)] = []
    for arguments in [["plan", "--env", "failover"], ["plan", "--env", "failover", "--json"]] {
      let plan = try await stack.run(arguments)
      #expect(plan.status == 0, "\(plan.combined)")
      outputs.append((arguments.joined(separator: " "), plan.combined))
    }
    let restore = try await stack.run(["restore", "--env", "failover", "--yes", "--json"])
    #expect(restore.status == 0, "\(restore.combined)")
    outputs.append(("restore --json", restore.combined))

    let superuser = try stack.password(StackPasswordFiles.superuser)
    let app = try stack.password(StackPasswordFiles.app)
    try expectOwnerOnly("\(stack.environmentDirectory)/\(StackPasswordFiles.superuser)")
    try expectOwnerOnly("\(stack.environmentDirectory)/\(StackPasswordFiles.app)")
    #expect(superuser.count >= 32 && app.count >= 32 && superuser != app)
    try await expectPasswordsRequired(stack, superuser: superuser, app: app)
    try expectTheAppsOwnEnvironment(stack)
    try await expectTheSocketInTheQuotedPathAsksForAPassword(stack)
    let state = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: "\(stack.environmentDirectory)/state.json")))
    let pids = (state as? [String: Any])?["pids"] as? [String: Int] ?? [:]
    let starts = (state as? [String: Any])?["start_times"] as? [String: Int] ?? [:]
    #expect(
      Set(pids.keys) == ["memcached", "app"] && Set(starts.keys) == Set(pids.keys), "\(String(describing: state))")

    let down = try await stack.run(["down", "--env", "failover"])
    #expect(down.status == 0, "\(down.combined)")
    outputs.append(("down", down.combined))
    let leaks = try await leaks(of: [superuser, app], in: stack, outputs: outputs)
    #expect(leaks.isEmpty, "the generated passwords were found in: \(leaks)")
    var tally = FaultTally("failover stack: hostile ${VAR} in the app's command, planted secrets, quoted state path")
    tally.badInputs = 2
    tally.leakedSecrets = leaks.count
    await FaultLedger.record(tally)
    await stack.remove()
  }

  /// Injected: the cluster an older dr left (initdb with trust for everyone, stopped).
  /// Asserted: the rerun tightens it (no trust line left, TCP without a password refused)
  /// and finishes; the app connects with its generated password.
  @Test func aTrustingClusterOfAnOlderDrIsTightenedNotReused() async throws {
    let stack = try await SafeStackFixture.make("stacktrust")
    let owner = try LocalCluster.serverUser()
    try FileManager.default.createDirectory(atPath: stack.environmentDirectory, withIntermediateDirectories: true)
    try LocalCluster.handOver(stack.environmentDirectory, to: owner)
    let old = LocalCluster(
      binDirectory: try TestServices.require("DR_TEST_PG_BINDIR"), directory: stack.environmentDirectory,
      dataName: "pgdata", logName: "postgresql.log", runAs: owner)
    try await old.initialize(.init(authentication: .trust))
    #expect(old.readHBA()?.contains("trust") == true)

    let restore = try await stack.run(["restore", "--env", "failover", "--yes"])
    #expect(restore.status == 0, "\(restore.combined)")
    #expect(restore.combined.contains("passwords are now required"), "\(restore.combined)")
    let hba = old.readHBA() ?? ""
    #expect(!hba.split(separator: "\n").contains { !$0.hasPrefix("#") && $0.contains("trust") }, "\(hba)")
    try await expectPasswordsRequired(
      stack, superuser: try stack.password(StackPasswordFiles.superuser),
      app: try stack.password(StackPasswordFiles.app))
    var tally = FaultTally("failover rerun over a trusting cluster of an older dr")
    tally.faults = 1
    await FaultLedger.record(tally)
    await stack.remove()
  }

  func expectOwnerOnly(_ path: String) throws {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(path)")
    #expect((attributes[.ownerAccountID] as? NSNumber)?.uint32Value == geteuid(), "\(path)")
  }

  func expectPasswordsRequired(_ stack: SafeStackFixture, superuser: String, app: String) async throws {
    let database = stack.fixture.database
    for (user, dbname, password) in [("postgres", "postgres", superuser), ("dr_user", database, app)] {
      let without = try await stack.psql(user: user, database: dbname, password: nil)
      #expect(without.status != 0, "\(user) connected without a password")
      #expect(without.standardError.contains("password"), "\(without.standardError)")
      let wrong = try await stack.psql(user: user, database: dbname, password: "not-the-password")
      #expect(wrong.status != 0, "\(user) connected with a wrong password")
      let with = try await stack.psql(user: user, database: dbname, password: password)
      #expect(with.status == 0 && with.standardOutput == "1\n", "\(user): \(with.standardError)")
    }
  }

  /// The cluster's socket is in the state directory (its path holds a quote and a space),
  /// and it asks for a password too.
  func expectTheSocketInTheQuotedPathAsksForAPassword(_ stack: SafeStackFixture) async throws {
    let socket = "\(stack.environmentDirectory)/.s.PGSQL.\(stack.ports["postgresql"]!)"
    try #require(socket.utf8.count <= 107, "the test's state path is too long for a socket: \(socket)")
    #expect(FileManager.default.fileExists(atPath: socket), "no socket at \(socket)")
    let host = stack.environmentDirectory.replacingOccurrences(of: "'", with: "\\'")
    let conninfo =
      "host='\(host)' port=\(stack.ports["postgresql"]!) user=postgres dbname=postgres passfile=/nonexistent"
    let psql = "\(try TestServices.require("DR_TEST_PG_BINDIR"))/psql"
    let refused = try await ProcessRunner.run(psql, ["-X", "-w", "-d", conninfo, "-c", "SELECT 1"], environment: [:])
    #expect(refused.status != 0 && refused.standardError.contains("password"), "\(refused.standardError)")
  }

  func expectTheAppsOwnEnvironment(_ stack: SafeStackFixture) throws {
    let (environment, arguments) = try stack.appRecord()
    #expect(
      Set(environment.keys) == ["PORT", "DATABASE_URL", "MEMCACHED_SERVERS", "PATH", "APP_MODE", "APP_GREETING"],
      "\(environment.keys.sorted())")
    #expect(environment["PORT"] == "\(stack.ports["app"]!)")
    #expect(environment["MEMCACHED_SERVERS"] == "127.0.0.1:\(stack.ports["memcached"]!)")
    #expect(environment["APP_MODE"] == "failover mode")
    #expect(environment["APP_GREETING"] == "hello world")
    let app = try stack.password(StackPasswordFiles.app)
    #expect(
      environment["DATABASE_URL"]
        == "postgresql://dr_user:\(app)@127.0.0.1:\(stack.ports["postgresql"]!)/\(stack.fixture.database)")
    let values = environment.values.joined(separator: "\n")
    #expect(!stack.planted.contains(where: values.contains), "a secret of dr's reached the app")
    #expect(arguments == ["--tag", stack.tag, "--out", stack.record, "--port", "\(stack.ports["app"]!)"])
    #expect(!FileManager.default.fileExists(atPath: stack.marker), "a shell ran the hostile value")
  }

  /// Where the passwords appear: outputs, files under the state directory (but their own
  /// files), the run records in the bucket.
  func leaks(of secrets: [String], in stack: SafeStackFixture, outputs: [(String, String)]) async throws -> [String] {
    var found = outputs.filter { _, text in secrets.contains(where: text.contains) }.map { "output of \($0.0)" }
    let own = [StackPasswordFiles.superuser, StackPasswordFiles.app]
    let root = stack.state
    for path in FileManager.default.enumerator(atPath: root)?.compactMap({ $0 as? String }) ?? []
    where !own.contains((path as NSString).lastPathComponent) {
      guard let data = FileManager.default.contents(atPath: root + "/" + path) else { continue }
      let text = String(decoding: data, as: UTF8.self)
      if secrets.contains(where: text.contains) { found.append(root + "/" + path) }
    }
    // The run records are the spare user's objects: read with its keys.
    let client = try TestS3.client(.spare)
    let records = try await client.listAllObjects(
      bucket: stack.fixture.bucket, prefix: stack.fixture.layout.root + "failovers/")
    #expect(!records.isEmpty, "no failover record was written")
    for object in records {
      let body = String(
        decoding: try await client.getObjectBytes(bucket: stack.fixture.bucket, key: object.key), as: UTF8.self)
      if secrets.contains(where: body.contains) { found.append("s3://\(stack.fixture.bucket)/\(object.key)") }
    }
    return found
  }
}
