import Testing

/// Fault scenarios are heavy (databases of 130 MB, bzip2, transfers held slow for a
/// while, scratch clusters) and many: at most `limit` run at once, so that beside the rest
/// of the suite neither the two CPUs nor PostgreSQL's connections run out. Run together
/// unbounded, they made time-bounded tests elsewhere fail and the server refuse clients.
actor ScenarioGate {
  static let shared = ScenarioGate(limit: 3)

  let limit: Int
  private var running = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) {
    self.limit = limit
  }

  /// Runs `body` once fewer than `limit` scenarios run.
  static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    await shared.enter()
    do {
      let result = try await body()
      await shared.leave()
      return result
    } catch {
      await shared.leave()
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
struct ScenarioGateTrait: SuiteTrait, TestTrait, TestScoping {
  var isRecursive: Bool { true }

  /// Once per test case (not once for the whole suite).
  func scopeProvider(for test: Test, testCase: Test.Case?) -> ScenarioGateTrait? {
    testCase == nil ? nil : self
  }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    try await ScenarioGate.run { try await function() }
  }
}

extension Trait where Self == ScenarioGateTrait {
  static var scenarioGate: Self { Self() }
}
