import Testing

/// Fault scenarios are heavy (databases of 130 MB, bzip2, transfers held slow for a
/// while, scratch clusters) and many: at most `limit` run at once, so that beside the rest
/// of the suite neither the two CPUs nor PostgreSQL's connections run out. Run together
/// unbounded, they made time-bounded tests elsewhere fail and the server refuse clients.
actor ScenarioGate {
  static let shared = ScenarioGate(limit: 3)
  /// Tests whose `dr verify` uses `verify.scratch_url` on the shared server, one at a time:
  /// each such verify first drops the scratch databases of killed drs of this host, so one
  /// test's deliberately abandoned database would be another's to drop.
  static let scratchServer = ScenarioGate(limit: 1)

  let limit: Int
  private var running = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) {
    self.limit = limit
  }

  /// Runs `body` once fewer than `limit` scenarios run.
  func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    await enter()
    do {
      let result = try await body()
      leave()
      return result
    } catch {
      leave()
      throw error
    }
  }

  private func enter() async {
    guard running >= limit else {
      running += 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  /// Hands the place to the next waiting scenario, or frees it.
  private func leave() {
    if waiting.isEmpty {
      running -= 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}

/// `@Suite(.scenarioGate)`: every test case of the suite runs inside the gate.
/// `.scratchServerGate` (inside it, when both apply): one scratch_url test at a time.
struct ScenarioGateTrait: SuiteTrait, TestTrait, TestScoping {
  var gate = ScenarioGate.shared
  var isRecursive: Bool { true }

  /// Once per test case (not once for the whole suite).
  func scopeProvider(for test: Test, testCase: Test.Case?) -> ScenarioGateTrait? {
    testCase == nil ? nil : self
  }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    try await gate.run { try await function() }
  }
}

extension Trait where Self == ScenarioGateTrait {
  static var scenarioGate: Self { Self() }
  static var scratchServerGate: Self { Self(gate: ScenarioGate.scratchServer) }
}
