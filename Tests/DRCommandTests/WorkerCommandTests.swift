import DRCore
import DRTestSupport
import Foundation
import Testing

/// `dr worker` against the real PostgreSQL and RGW: the runs overdue at start (backup,
/// prune, verify) happen, /metrics says what happened, /healthz says whether it is
/// safe, SIGTERM ends it with 0, and a failure reaches the webhook, signed.
struct WorkerCommandTests {
  @Test func overdueRunsHappenAndMetricsMatchTheBucket() async throws {
    let fixture = try await BackupFixture.make("worker")
    try WorkerFixture.writePolicy(fixture, endpoint: try TestServices.s3Endpoint())
    let worker = try WorkerFixture.start(fixture)
    try await worker.waitUntil("a passed verification in /metrics") {
      try await worker.metric("dr_verify_last_outcome") == 1
    }
    let backups = try await fixture.list()
    #expect(backups.count == 1, "\(backups)")
    let newest = try #require(backups.first)
    #expect(newest["verification"] as? String == "passed")
    #expect(try await worker.metric("dr_backup_last_size_bytes") == (newest["size_bytes"] as? NSNumber)?.doubleValue)
    let started = try #require(ISO8601DateFormatter.withFractions.date(from: newest["started_at"] as? String ?? ""))
    let newestVerified = try #require(try await worker.metric("dr_newest_verified_backup_timestamp_seconds"))
    #expect(abs(newestVerified - started.timeIntervalSince1970) < 1)
    #expect(try await worker.metric("dr_job_runs_total", labels: "policy=\"backup-test\",job=\"prune\"") == 1)
    let health = try await worker.get("/healthz")
    #expect(health.standardOutput.hasSuffix("\n200"), "\(health.standardOutput)")

    #expect(await worker.stop() == .exited(0))
    let log = await worker.log()
    let events = log.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let finished = events.filter { $0["message"] as? String == "job finished" }.compactMap { $0["job"] as? String }
    #expect(finished.sorted() == ["backup", "prune", "verify"], "\(log)")
    #expect(events.contains { $0["message"] as? String == "worker stopped" })

    // A restarted worker knows from the bucket that the backup is verified, from its
    // first answer on (nothing is overdue, so it runs nothing).
    let restarted = try WorkerFixture.start(fixture)
    var first: ProcessRunner.Output?
    try await restarted.waitUntil("the restarted worker to answer") {
      let answer = try await restarted.get("/healthz")
      if answer.standardOutput.hasSuffix("\n000") { return false }
      first = answer
      return true
    }
    #expect(first?.standardOutput.hasSuffix("\n200") == true, "\(first?.standardOutput ?? "")")
    #expect(await restarted.stop() == .exited(0))
    await fixture.remove()
  }

  @Test func healthzIsUnhealthyWhileNoBackupIsVerified() async throws {
    let fixture = try await BackupFixture.make("workerstale")
    try WorkerFixture.writePolicy(fixture, endpoint: try TestServices.s3Endpoint(), verifySchedule: nil)
    let worker = try WorkerFixture.start(fixture)
    try await worker.waitUntil("a backup in /metrics") {
      (try await worker.metric("dr_backup_last_success_timestamp_seconds") ?? 0) > 0
    }
    let health = try await worker.get("/healthz")
    #expect(health.standardOutput.hasSuffix("\n503"), "\(health.standardOutput)")
    #expect(health.standardOutput.contains("backup-test: no verified backup"), "\(health.standardOutput)")
    #expect(await worker.stop() == .exited(0))
    await fixture.remove()
  }

  @Test func aFailedBackupReachesTheWebhookSigned() async throws {
    let fixture = try await BackupFixture.make("workerhook")
    let server = try LoopbackHTTPServer { _ in .json("{}") }
    defer { server.stop() }
    let secret = "hook-\(UUID().uuidString)"
    try WorkerFixture.writePolicy(
      fixture, endpoint: try TestServices.s3Endpoint(), verifySchedule: nil,
      notify: "notify: {webhook: \"\(server.baseURL)/dr\", on: [failure], secret: \"\(secret)\"}",
      databaseURL: "postgresql://nobody@127.0.0.1:1/none")
    let worker = try WorkerFixture.start(fixture)
    #expect(await server.waitForRequests(1, timeout: .seconds(120)))
    #expect(await worker.stop() == .exited(0))
    let request = try #require(server.requests.first)
    #expect(request.method == "POST" && request.target == "/dr")
    let body = String(decoding: request.body, as: UTF8.self)
    let event = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    #expect(event?["event"] as? String == "backup.failed", "\(body)")
    #expect(event?["policy"] as? String == "backup-test")
    #expect(!body.contains(secret))
    let timestamp = try #require(request.headers.first { $0.name.lowercased() == "x-dr-timestamp" }?.value)
    let signature = try #require(request.headers.first { $0.name.lowercased() == "x-dr-signature" }?.value)
    // The receiver's check, with openssl rather than dr's own HMAC.
    let scratch = TemporaryDirectory.unique("dr-hook")
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    try Data((timestamp + "." + body).utf8).write(to: URL(fileURLWithPath: "\(scratch)/signed"))
    let openssl = try await ProcessRunner.run(
      "/usr/bin/openssl", ["dgst", "-sha256", "-hmac", secret, "-r", "\(scratch)/signed"])
    let expected = try #require(openssl.standardOutput.split(separator: " ").first)
    #expect(signature == "sha256=\(expected)")
    await fixture.remove()
  }
}

extension ISO8601DateFormatter {
  static var withFractions: ISO8601DateFormatter {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
  }
}

/// SIGHUP reloads the policies; an invalid file is reported and the running ones kept.
struct WorkerReloadTests {
  @Test func sighupReloadsAndABadPolicyKeepsTheOldOne() async throws {
    let fixture = try await BackupFixture.make("workerhup")
    let endpoint = try TestServices.s3Endpoint()
    try WorkerFixture.writePolicy(fixture, endpoint: endpoint, verifySchedule: nil)
    let worker = try WorkerFixture.start(fixture)
    try await worker.waitUntil("the first backup") {
      (try await worker.metric("dr_backup_last_success_timestamp_seconds") ?? 0) > 0
    }
    try "name: backup-test\nnot_a_key: 1\n".write(toFile: fixture.policyFile, atomically: true, encoding: .utf8)
    kill(worker.process.pid, SIGHUP)
    // The same schedules go on: the worker still answers, with what it knew.
    try await worker.waitUntil("the worker to answer after the bad reload") {
      try await worker.get("/healthz").standardOutput.hasSuffix("\n503")
    }
    // A valid policy with a verify schedule: the new scheduler catches the verification up.
    try WorkerFixture.writePolicy(fixture, endpoint: endpoint)
    kill(worker.process.pid, SIGHUP)
    try await worker.waitUntil("the verification the reloaded policy asks for") {
      try await worker.metric("dr_verify_last_outcome") == 1
    }
    #expect(await worker.stop() == .exited(0))
    let log = await worker.log()
    #expect(log.contains("reload failed, the policies already loaded keep running"), "\(log)")
    #expect(log.contains("not_a_key"), "the reason names the bad key: \(log)")
    await fixture.remove()
  }
}
