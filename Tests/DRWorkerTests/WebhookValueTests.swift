import DRCore
import DRPolicy
import DRWorker
import Foundation
import Testing

/// The pure parts: backoff arithmetic, which statuses retry, the event's JSON, the
/// signature, and what of a webhook URL may be logged.
struct WebhookValueTests {
  @Test func ceilingsDoubleUpToTheCap() {
    let retry = WebhookRetryPolicy(maxAttempts: 8, baseDelay: 1, maxDelay: 10, maxElapsed: 100)
    #expect((1...6).map { retry.ceiling(beforeRetry: $0) } == [1, 2, 4, 8, 10, 10])
    #expect(retry.delay(beforeRetry: 3, random: 0.5) == 2)
    #expect(retry.delay(beforeRetry: 3, random: 7) == 4)
  }

  @Test func retriesAreBoundedInAttemptsAndTime() {
    let retry = WebhookRetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 10, maxElapsed: 20)
    #expect(retry.allowsRetry(afterAttempts: 2, elapsed: 0, delay: 1))
    #expect(!retry.allowsRetry(afterAttempts: 3, elapsed: 0, delay: 1))
    #expect(!retry.allowsRetry(afterAttempts: 1, elapsed: 15, delay: 6))
  }

  @Test(arguments: [(429, true), (500, true), (502, true), (503, true), (599, true)])
  func overloadAndServerErrorsRetry(status: Int, retryable: Bool) {
    #expect(WebhookRetryPolicy.isRetryable(status: status) == retryable)
  }

  @Test(arguments: [200, 301, 400, 401, 403, 404, 408, 410, 422])
  func otherStatusesDoNotRetry(status: Int) {
    #expect(!WebhookRetryPolicy.isRetryable(status: status))
  }

  @Test(arguments: [
    ("https://hooks.example.com/services/T000/B000/XXXX?token=abc", "https://hooks.example.com"),
    ("https://user:pa55word@hooks.example.com:8443/dr", "https://hooks.example.com:8443"),
    ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
  ])
  func onlyTheSchemeAndHostAreLogged(url: String, endpoint: String) {
    #expect(WebhookConfiguration(url: url).endpoint == endpoint)
  }

  @Test func eventsWantedFollowTheSettings() {
    #expect(WebhookConfiguration(url: "https://x").wants(.failed))
    #expect(!WebhookConfiguration(url: "https://x").wants(.succeeded))
    #expect(WebhookConfiguration(url: "https://x", on: [.failure, .success]).wants(.succeeded))
  }

  @Test func anEventRoundTripsThroughItsJSON() throws {
    let event = WebhookFixture.event(job: "check:failover", backupID: "b1")
    #expect(event.event == "check:failover.failed")
    #expect(event.durationSeconds == 4.25)
    let data = try JSONEncoder().encode(event)
    #expect(try JSONDecoder().decode(WorkerEvent.self, from: data) == event)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"started_at\":\"2025-03-01T02:00:00.000Z\""))
  }

  @Test func absentOptionalFieldsAreLeftOut() throws {
    let event = WebhookFixture.event(.succeeded, reason: nil)
    let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(event)) as? [String: Any]
    #expect(object?["reason"] == nil && object?["backup_id"] == nil)
    #expect(object?["event"] as? String == "backup.succeeded")
  }

  @Test func theSignatureCoversTheTimestampAndTheBody() async throws {
    let body = Array(#"{"event":"backup.failed"}"#.utf8)
    let signature = WebhookSignature.signature(secret: Secret("k3y-secret"), timestamp: 1_740_794_400, body: body)
    let expected = try await WebhookFixture.opensslHMAC(
      key: "k3y-secret", message: Array("1740794400.".utf8) + body)
    #expect(signature == "sha256=\(expected)")
    let other = WebhookSignature.signature(secret: Secret("k3y-secret"), timestamp: 1_740_794_401, body: body)
    #expect(other != signature)
  }
}
