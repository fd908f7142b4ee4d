import DRPostgres
import Logging
import Synchronization
import Testing

/// The globals are taken again while their script grants roles it does not create.
struct GlobalsConsistentTests {
  static let torn = "CREATE ROLE postgres;\nGRANT reader TO owner GRANTED BY postgres;\n"
  static let whole = "CREATE ROLE postgres;\nCREATE ROLE owner;\nCREATE ROLE reader;\n" + torn

  /// Hands out `scripts` in turn, counting the calls.
  final class Dumps: Sendable {
    let scripts: [String]
    let calls = Atomic<Int>(0)
    init(_ scripts: [String]) { self.scripts = scripts }
    func next() -> String {
      let index = calls.add(1, ordering: .relaxed).oldValue
      return scripts[min(index, scripts.count - 1)]
    }
  }

  @Test func aTornScriptIsTakenAgain() async throws {
    let dumps = Dumps([Self.torn, Self.whole])
    let script = try await GlobalsScript.consistent(logger: Logger(label: "test")) { dumps.next() }
    #expect(script == Self.whole)
    #expect(dumps.calls.load(ordering: .relaxed) == 2)
  }

  @Test func aWholeScriptIsTakenOnce() async throws {
    let dumps = Dumps([Self.whole, Self.torn])
    #expect(try await GlobalsScript.consistent(logger: Logger(label: "test")) { dumps.next() } == Self.whole)
    #expect(dumps.calls.load(ordering: .relaxed) == 1)
  }

  @Test func rolesThatNeverSettleAreKeptAfterThreeTries() async throws {
    let dumps = Dumps([Self.torn])
    #expect(try await GlobalsScript.consistent(logger: Logger(label: "test")) { dumps.next() } == Self.torn)
    #expect(dumps.calls.load(ordering: .relaxed) == GlobalsScript.attempts)
  }
}
