import DRCore
import Foundation
import Testing

/// Ports for servers started later come from below the kernel's ephemeral range, so no bind
/// to port 0 (every test server, every fault proxy) can be handed one in the meantime.
struct LoopbackPortTests {
  @Test func aFreePortIsBelowTheEphemeralRangeAndBindable() throws {
    let ephemeral = LoopbackPort.ephemeralRange()
    #expect(ephemeral.lowerBound > 11_000, "this machine's ephemeral range: \(ephemeral)")
    for _ in 0..<20 {
      let port = try LoopbackPort.free()
      #expect((10_000..<ephemeral.lowerBound).contains(port), "\(port)")
      #expect(!LoopbackPort.isTaken(port), "\(port)")
    }
  }
}
