import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Every command, run with recognisable secrets (S3 secret key, session token, database
/// password, webhook secret, and wrong ones for the failure paths), in human and JSON
/// logs, verbose: no secret appears in any output, object, record, report or file under
/// the state directory. Two ways to hand secrets over: the environment (AWS chain,
/// PGPASSWORD) and the policy (`${VAR}` from variables with innocent names).
///
/// `dr worker` too (see `SecretLeakTests+Worker.swift`): one on a wrong database password
/// until its failures reach the webhook, one until its catch-up backup, prune, verify and
/// check have; their standard output and error, /metrics, /healthz, and the webhook
/// requests (headers and bodies) are scanned, and the bucket then holds their leases and
/// `*.last.json` records. And the command lines of the PostgreSQL programs dr runs
/// (pg_dump, pg_restore, psql, initdb, pg_ctl…), visible to every user in `ps`: they run
/// through wrappers (`DR_PG_BINDIR`) that log them, so the password must go in PGPASSWORD.
@Suite(.scenarioGate)
struct SecretLeakTests {
  enum Delivery: String, CaseIterable, Sendable { case environment, policy }

  @Test(arguments: Delivery.allCases)
  func noSecretLeaksFromAnyCommand(_ delivery: Delivery) async throws {
    let canaries = try SecretCanaries()
    let client = try TestS3.client()
    try await client.createBucket(canaries.bucket)
    try await canaries.makeDatabase()
    let hook = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 204) }
    defer { hook.stop() }
    try canaries.makeProgramWrappers(of: try TestServices.require("DR_TEST_PG_BINDIR"))
    let policy = canaries.directory + "/policy.yaml"
    try policyText(canaries, delivery: delivery, hook: hook.baseURL).write(
      toFile: policy, atomically: true, encoding: .utf8)
    var outputs = try await workerOutputs(canaries, delivery: delivery, hook: hook)
    func dr(_ arguments: [String], _ extra: [String: String?] = [:], expect status: Int32 = 0) async throws {
      var environment = try self.environment(canaries, delivery: delivery)
      for (name, value) in extra { environment[name] = value }
      let result = try await DRBinary.run(arguments + ["--policy", policy], environment: environment)
      #expect(result.status == status, "\(arguments): \(result.combined)")
      outputs.append((arguments.joined(separator: " "), result.combined))
    }
    let target = try canaries.url(database: canaries.role + "_restored", password: canaries.databasePassword)
    try "a file to copy".write(toFile: canaries.temporary + "/upload.txt", atomically: true, encoding: .utf8)
    try await dr(["backup", "--json"])
    try await dr(["backup", "--verbose", "--log-format", "json"])
    try await dr(["list"])
    try await dr(["list", "--json", "--all", "--verbose"])
    try await dr(["verify", "--json", "--verbose", "--log-format", "json"])
    try await dr(["verify", "--verbose"])
    try await dr(["show", "--verbose"])
    try await dr(["show", "--json", "--log-format", "json"])
    try await dr(["report", "--format", "md"])
    try await dr(["report", "--format", "html", "--output", canaries.stateDirectory + "/report.html"])
    try await dr(["report", "--json", "--publish", "--verbose", "--log-format", "json"])
    try await dr(["restore", "--target", target, "--no-owner", "--verbose"])
    try await dr(["restore", "--target", target, "--no-owner", "--clean", "--yes", "--json", "--log-format", "json"])
    try await dr(["prune", "--dry-run", "--verbose"])
    try await dr(["prune", "--verbose", "--log-format", "json"])
    try await dr(["check", "--verbose"])
    try await dr(["check", "--json"])
    try await dr(["plan", "--env", "failover"])
    try await dr(["plan", "--env", "failover", "--json", "--verbose"])
    try await dr(["s3", "ls", "s3://\(canaries.bucket)/", "--verbose"])
    try await dr(["s3", "cp", canaries.temporary + "/upload.txt", "s3://\(canaries.bucket)/copied.txt", "--verbose"])
    try await dr([
      "s3", "cp", "s3://\(canaries.bucket)/copied.txt", canaries.temporary + "/downloaded.txt", "--verbose",
    ])
    // Failures: where secrets most often slip out, in messages.
    try await dr(["backup", "--verbose"], wrong(.database, canaries, delivery), expect: 1)
    try await dr(["s3", "ls", "s3://\(canaries.bucket)/"], wrong(.storage, canaries, delivery), expect: 1)
    try await dr(["list", "--log-format", "json"], wrong(.storage, canaries, delivery), expect: 1)

    outputs += hook.requests.enumerated().map { index, request in
      ("webhook request \(index + 1)", Self.text(of: request))
    }
    let commandLines = (try? String(contentsOfFile: canaries.commandLines, encoding: .utf8)) ?? ""
    // The wrappers were not bypassed: every program a backup, a restore and a local
    // verification run was logged doing its work (not only asked its version).
    let runs = commandLines.split(separator: "\n").map { $0.split(separator: " ") }
    let ran = Set(runs.filter { $0.dropFirst() != ["--version"] }.compactMap { $0.first.map(String.init) })
    let programs = ["pg_dump", "pg_dumpall", "pg_restore", "psql", "initdb", "pg_ctl"]
    #expect(programs.allSatisfy(ran.contains), "programs logged: \(ran.sorted())")
    let leaks = try await canaries.leaks(outputs: outputs, client: client)
    #expect(leaks.isEmpty, "secrets found in: \(leaks)")
    var tally = FaultTally("secrets, delivered by the \(delivery.rawValue)")
    // The runs on wrong secrets (three commands, a worker); the other 23 runs are scanned alike.
    tally.badInputs = 4
    tally.leakedSecrets = leaks.count
    await FaultLedger.record(tally)
    await canaries.remove(client)
  }

  /// The canary policy; with `workerPrefix`, for a worker: in that prefix of the bucket
  /// (a history of its own, so every job is overdue), with schedules far from now (only
  /// catch-up runs fire) and a local scratch cluster for verifications.
  func policyText(_ canaries: SecretCanaries, delivery: Delivery, hook: String, workerPrefix: String? = nil) throws
    -> String
  {
    let inPolicy = delivery == .policy
    let database = try canaries.url(database: canaries.role, password: inPolicy ? "${DR_T_DB}" : nil)
    let credentials =
      inPolicy
      ? ", credentials: {access_key_id: \"${DR_T_ID}\", secret_access_key: \"${DR_T_KEY}\", "
        + "session_token: \"${DR_T_SESSION}\"}" : ""
    return """
      name: canary
      database: {url: "\(database)"}
      storage: {url: "s3://\(canaries.bucket)/\(workerPrefix ?? "p")/", endpoint: "\(try TestServices.s3Endpoint())", region: us-east-1\(credentials)}
      backup: {\(workerPrefix == nil ? "" : "schedule: \"0 */6 * * *\", ")compression: {codec: bzip2, level: 1, threads: 2}}
      \(workerPrefix == nil ? "" : "verify: {schedule: \"30 4 * * *\", scratch: local}")
      notify: {webhook: "\(hook)/hook", on: [failure, success], secret: "${\(inPolicy ? "DR_T_HOOK" : "DR_WEBHOOK_SECRET")}"}
      stack: {postgresql: {port: 55999}}
      environments: {production: {}, failover: {}}

      """
  }

  /// The environment of every run: secrets where `delivery` puts them, nowhere else.
  func environment(_ canaries: SecretCanaries, delivery: Delivery) throws -> [String: String?] {
    var environment: [String: String?] = [
      "DR_STATE_DIR": canaries.stateDirectory, "TMPDIR": canaries.temporary, "PGPASSWORD": nil,
      "DR_S3_RETRY_ATTEMPTS": "2", "DR_PG_BINDIR": canaries.programs,
    ]
    switch delivery {
    case .environment:
      environment["AWS_SESSION_TOKEN"] = canaries.sessionToken
      environment["PGPASSWORD"] = canaries.databasePassword
      environment["DR_WEBHOOK_SECRET"] = canaries.webhookSecret
    case .policy:
      // Names that do not look secret, so only the policy's reading can know they are.
      environment["DR_T_ID"] = try TestServices.accessKeyID()
      environment["DR_T_KEY"] = canaries.secretKey
      environment["DR_T_SESSION"] = canaries.sessionToken
      environment["DR_T_DB"] = canaries.databasePassword
      environment["DR_T_HOOK"] = canaries.webhookSecret
      environment["AWS_SECRET_ACCESS_KEY"] = nil
      environment["AWS_ACCESS_KEY_ID"] = nil
    }
    return environment
  }

  enum Wrong { case database, storage }

  /// The environment changes that make a command fail on a wrong (canary) secret.
  func wrong(_ what: Wrong, _ canaries: SecretCanaries, _ delivery: Delivery) -> [String: String?] {
    switch (what, delivery) {
    case (.database, .environment): ["PGPASSWORD": canaries.wrongDatabasePassword]
    case (.database, .policy): ["DR_T_DB": canaries.wrongDatabasePassword]
    case (.storage, .environment): ["AWS_SECRET_ACCESS_KEY": canaries.wrongSecretKey]
    case (.storage, .policy): ["DR_T_KEY": canaries.wrongSecretKey]
    }
  }
}
