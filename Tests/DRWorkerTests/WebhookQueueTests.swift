import DRHTTP
import DRTestSupport
import DRWorker
import Testing

/// A job never waits on its webhook: `notify` returns at once, the queue is bounded, and
/// shutdown gives up at its deadline.
@Suite(.timeLimit(.minutes(3)))
struct WebhookQueueTests {
  @Test func notifyReturnsBeforeTheServerAnswers() async throws {
    let gate = LoopbackHTTPServer.Gate()
    let log = EventLog()
    let server = try LoopbackHTTPServer { _ in
      log.append("received")
      log.append(gate.wait() ? "released" : "gate timed out")
      log.append("answered")
      return LoopbackHTTPServer.Response(status: 200)
    }
    defer { server.stop() }
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server))
    notifier.notify(WebhookFixture.event())
    log.append("notify returned")
    #expect(await server.waitForRequests(1))
    #expect(!log.all.contains("answered"))
    gate.open()
    await WebhookFixture.drain(notifier)

    let entries = log.all
    let returned = try #require(entries.firstIndex(of: "notify returned"))
    let answered = try #require(entries.firstIndex(of: "answered"))
    #expect(returned < answered)
    #expect(entries.contains("released"))
    #expect(notifier.counters == WebhookCounters(delivered: 1))
  }

  @Test func aFullQueueDropsTheOldestAndCounts() async throws {
    let gate = LoopbackHTTPServer.Gate()
    let server = try LoopbackHTTPServer { _ in
      _ = gate.wait()
      return LoopbackHTTPServer.Response(status: 200)
    }
    defer { server.stop() }
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server, queueCapacity: 3))
    notifier.notify(WebhookFixture.event(backupID: "b0"))
    // b0 is now held at the server, so the queue is empty and b1…b5 fill it past 3.
    #expect(await server.waitForRequests(1))
    for index in 1...5 { notifier.notify(WebhookFixture.event(backupID: "b\(index)")) }
    #expect(notifier.counters == WebhookCounters(dropped: 2))
    gate.open()
    await WebhookFixture.drain(notifier)

    let sent = try server.requests.map { try WebhookFixture.json($0)["backup_id"] as? String }
    #expect(sent == ["b0", "b3", "b4", "b5"])
    #expect(notifier.counters == WebhookCounters(delivered: 4, dropped: 2))
  }

  @Test func shutdownGivesUpAtItsDeadlineAndCountsWhatIsLeft() async throws {
    let gate = LoopbackHTTPServer.Gate()
    let server = try LoopbackHTTPServer { _ in
      _ = gate.wait()
      return LoopbackHTTPServer.Response(status: 200)
    }
    defer { server.stop() }
    defer { gate.open() }
    var configuration = WebhookFixture.configuration(server)
    // b0 stays in flight until the shutdown, however late this test gets there: with the
    // worker's 15 s stall limit, a loaded run once saw it abandoned and sent again first.
    configuration.http.lowSpeedTime = 600
    let notifier = WebhookFixture.notifier(configuration)
    notifier.notify(WebhookFixture.event(backupID: "b0"))
    #expect(await server.waitForRequests(1))
    notifier.notify(WebhookFixture.event(backupID: "b1"))
    notifier.notify(WebhookFixture.event(backupID: "b2"))
    // b0 is held at the server and the deadline has passed: nothing more can be sent.
    await notifier.shutdown(deadline: .now)
    #expect(notifier.counters == WebhookCounters(dropped: 3))

    notifier.notify(WebhookFixture.event(backupID: "b3"))
    #expect(notifier.counters == WebhookCounters(dropped: 4))
    #expect(server.requests.count == 1)
  }
}
