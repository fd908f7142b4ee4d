import DRTestSupport
import Testing

/// `dr worker --probe URL`, the container image's HEALTHCHECK (the image has no curl): exit 0
/// on a 2xx answer only, the answer's body printed, the status named otherwise.
struct WorkerProbeCommandTests {
  @Test func aHealthyAnswerPassesAndItsBodyIsPrinted() async throws {
    let server = try LoopbackHTTPServer { _ in .init(text: "summit: ok: newest verified backup 2 h old\n") }
    defer { server.stop() }
    let result = try await DRBinary.run(["worker", "--probe", "\(server.baseURL)/healthz"])
    #expect(result.status == 0, "\(result.combined)")
    #expect(result.standardOutput == "summit: ok: newest verified backup 2 h old\n")
    #expect(server.requests.map { "\($0.method) \($0.path)" } == ["GET /healthz"])
  }

  @Test func anUnhealthyAnswerFailsNamingItsStatusAndWhatItSaid() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 503, text: "summit: no verified backup (max_age 26h)\n") }
    defer { server.stop() }
    let result = try await DRBinary.run(["worker", "--probe", "\(server.baseURL)/healthz"])
    #expect(result.status == 1, "\(result.combined)")
    #expect(result.standardError.contains("answered 503: summit: no verified backup"), "\(result.standardError)")
    let json = try await DRBinary.run(["--json", "worker", "--probe", "\(server.baseURL)/healthz"])
    #expect(json.status == 1, "\(json.combined)")
    #expect(json.standardOutput.contains("\"code\" : \"worker.probeFailed\""), "\(json.standardOutput)")
  }

  @Test func nothingListeningFails() async throws {
    let closed = try RefusingPort()
    let result = try await DRBinary.run(["worker", "--probe", "\(closed.baseURL)/healthz"])
    #expect(result.status == 1, "\(result.combined)")
    #expect(result.standardOutput.isEmpty)
    withExtendedLifetime(closed) {}
  }
}
