import DRCore
import DRHTTP
import DRTestSupport
import DRWorker
import Foundation
import Testing

/// What a receiver gets: the signed JSON body, and retries on the failures that may pass.
@Suite(.timeLimit(.minutes(3)))
struct WebhookDeliveryTests {
  @Test func aFailureArrivesSignedWithItsFields() async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 204) }
    defer { server.stop() }
    let secret = "whsec-7f3a-test-signing"
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server, secret: Secret(secret)))
    notifier.notify(WebhookFixture.event(backupID: "20250301T020000Z-ab12"))
    await WebhookFixture.drain(notifier)

    let request = try #require(server.requests.first)
    #expect(request.method == "POST" && request.path == "/hooks/dr")
    #expect(request.header("Content-Type") == "application/json")
    #expect(request.header("User-Agent") == "dr/\(DRVersion.current)")
    let timestamp = try #require(request.header("X-DR-Timestamp"))
    #expect(Int(timestamp) != nil)
    let expected = try await WebhookFixture.opensslHMAC(
      key: secret, message: Array("\(timestamp).".utf8) + request.body)
    #expect(request.header("X-DR-Signature") == "sha256=\(expected)")
    #expect(notifier.counters == WebhookCounters(delivered: 1))

    let json = try WebhookFixture.json(request)
    #expect(json["event"] as? String == "backup.failed")
    #expect(json["policy"] as? String == "prod")
    #expect(json["job"] as? String == "backup")
    #expect(json["outcome"] as? String == "failed")
    #expect(json["backup_id"] as? String == "20250301T020000Z-ab12")
    #expect(json["reason"] as? String == "pg_dump exited with status 1")
    #expect(json["started_at"] as? String == "2025-03-01T02:00:00.000Z")
    #expect(json["finished_at"] as? String == "2025-03-01T02:00:04.250Z")
    #expect(json["duration_seconds"] as? Double == 4.25)
    #expect(json["host"] as? String == "worker-1")
    #expect(json["dr_version"] as? String == DRVersion.current)
    #expect(json.count == 11)
  }

  @Test func withoutASecretNothingIsSigned() async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200) }
    defer { server.stop() }
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server))
    notifier.notify(WebhookFixture.event())
    await WebhookFixture.drain(notifier)
    let request = try #require(server.requests.first)
    #expect(request.header("X-DR-Signature") == nil && request.header("X-DR-Timestamp") == nil)
  }

  @Test func fiveHundredThenFiveOhThreeThenOKIsDeliveredOnceWithGrowingWaits() async throws {
    let script = StatusScript([500, 503])
    let server = try LoopbackHTTPServer { _ in script.next() }
    defer { server.stop() }
    let sleeps = SleepRecorder()
    let retry = WebhookRetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 30, maxElapsed: 120)
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server, retry: retry), sleeps: sleeps)
    notifier.notify(WebhookFixture.event())
    await WebhookFixture.drain(notifier)

    #expect(server.requests.count == 3)
    #expect(notifier.counters == WebhookCounters(delivered: 1))
    // The jitter source answers 1, so each wait is its ceiling: 0.5 s, then 1 s.
    #expect(sleeps.delays == [0.5, 1.0])
    #expect(zip(sleeps.delays, sleeps.delays.dropFirst()).allSatisfy { $0 < $1 })
  }

  @Test func jitteredWaitsStayWithinTheirCeilingsAndAttemptsAreBounded() async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 503) }
    defer { server.stop() }
    let sleeps = SleepRecorder()
    let retry = WebhookRetryPolicy(maxAttempts: 5, baseDelay: 2, maxDelay: 5, maxElapsed: 120)
    let notifier = WebhookFixture.notifier(
      WebhookFixture.configuration(server, retry: retry), sleeps: sleeps, random: { Double.random(in: 0...1) })
    notifier.notify(WebhookFixture.event())
    await WebhookFixture.drain(notifier)

    #expect(server.requests.count == 5)
    #expect(notifier.counters == WebhookCounters(failed: 1))
    #expect(sleeps.delays.count == 4)
    for (index, delay) in sleeps.delays.enumerated() {
      #expect(delay >= 0 && delay <= retry.ceiling(beforeRetry: index + 1) && delay <= retry.maxDelay)
    }
  }

  @Test func aFourHundredIsNotRetried() async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 400, text: "bad\n") }
    defer { server.stop() }
    let sleeps = SleepRecorder()
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server), sleeps: sleeps)
    notifier.notify(WebhookFixture.event())
    await WebhookFixture.drain(notifier)

    #expect(server.requests.count == 1)
    #expect(sleeps.delays.isEmpty)
    #expect(notifier.counters == WebhookCounters(failed: 1))
  }

  @Test func aRefusedConnectionIsRetriedUntilAttemptsRunOut() async throws {
    let port = try LoopbackPort.free()
    var configuration = WebhookConfiguration(
      url: "http://127.0.0.1:\(port)/hooks", retry: WebhookRetryPolicy(maxAttempts: 3))
    configuration.http.noProxy = "*"
    let sleeps = SleepRecorder()
    let notifier = WebhookFixture.notifier(configuration, sleeps: sleeps)
    notifier.notify(WebhookFixture.event())
    await WebhookFixture.drain(notifier)

    #expect(sleeps.delays.count == 2)
    #expect(notifier.counters == WebhookCounters(failed: 1))
  }

  @Test func aRetryThatWouldEndPastTheTotalBoundIsNotStarted() async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 502) }
    defer { server.stop() }
    let sleeps = SleepRecorder()
    // Delays far above what an attempt takes, even on a loaded machine (the bound counts
    // the measured attempts too): 400 s then 800 s against a bound of 1000 s.
    let retry = WebhookRetryPolicy(maxAttempts: 10, baseDelay: 400, maxDelay: 6000, maxElapsed: 1000)
    let notifier = WebhookFixture.notifier(WebhookFixture.configuration(server, retry: retry), sleeps: sleeps)
    notifier.notify(WebhookFixture.event())
    await WebhookFixture.drain(notifier)

    // Waits of 400 s and then 800 s: the second would end past 1000 s, so it is not taken.
    #expect(sleeps.delays == [400])
    #expect(server.requests.count == 2)
    #expect(notifier.counters == WebhookCounters(failed: 1))
  }
}
