import DRCore
import DRPolicy
import DRTestSupport
import DRWorker
import Testing

/// Which events leave the machine, and that no secret leaves with them.
@Suite(.timeLimit(.minutes(3)))
struct WebhookFilterTests {
  @Test(arguments: [
    ([NotifySettings.Event.failure], ["backup.failed"]),
    ([.failure, .success], ["verify.succeeded", "backup.failed"]),
  ])
  func successesAreSentOnlyWhenAskedFor(on: [NotifySettings.Event], expected: [String]) async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200) }
    defer { server.stop() }
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server, on: Set(on)))
    notifier.notify(WebhookFixture.event(.succeeded, job: "verify"))
    notifier.notify(WebhookFixture.event(.failed, job: "backup"))
    await WebhookFixture.drain(notifier)

    let events = try server.requests.map { try WebhookFixture.json($0)["event"] as? String }
    #expect(events == expected)
    #expect(notifier.counters == WebhookCounters(delivered: expected.count))
  }

  /// A run stopped because another worker took its lease over is `backup.lost`, sent to
  /// those who want failures, not to those who want successes only.
  @Test(arguments: [([NotifySettings.Event.failure], ["backup.lost"]), ([.success], [])])
  func aLostRunIsSentWithFailures(on: [NotifySettings.Event], expected: [String]) async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200) }
    defer { server.stop() }
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server, on: Set(on)))
    notifier.notify(WebhookFixture.event(.lost, job: "backup", reason: "another run took the lease over"))
    await WebhookFixture.drain(notifier)

    let bodies = try server.requests.map { try WebhookFixture.json($0) }
    #expect(bodies.map { $0["event"] as? String } == expected)
    #expect(bodies.allSatisfy { $0["outcome"] as? String == "lost" })
  }

  @Test func aRegisteredSecretInAReasonIsRedactedInThePayload() async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200) }
    defer { server.stop() }
    let registry = SecretRegistry()
    let password = "Tr0ub4dor-and-3"
    let signing = "whsec-signing-9c1e"
    registry.register(password)
    let notifier = WebhookFixture.notifier(
      WebhookFixture.configuration(server, secret: Secret(signing)), registry: registry)
    let reason = "connect to postgresql://dr:\(password)@db.internal/prod failed; token \(signing); again \(password)"
    notifier.notify(WebhookFixture.event(reason: reason))
    await WebhookFixture.drain(notifier)

    let request = try #require(server.requests.first)
    #expect(!request.bodyText.contains(password))
    #expect(!request.bodyText.contains(signing))
    let sent = try #require(try WebhookFixture.json(request)["reason"] as? String)
    #expect(sent == "connect to postgresql://dr:***@db.internal/prod failed; token ***; again ***")
  }

  @Test func anEventIsRedactedWhenItIsMade() {
    let registry = SecretRegistry()
    registry.register("s3-secret-key-abcdef")
    let event = WorkerEvent(
      policy: "prod", job: "backup", outcome: .failed, reason: "upload refused with s3-secret-key-abcdef",
      startedAt: WebhookFixture.started, finishedAt: WebhookFixture.finished, host: "worker-1",
      redactor: Redactor(registry: registry))
    #expect(event.reason == "upload refused with ***")
  }
}
