#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a wait for a socket ended.
enum SocketWait {
  case ready
  case woken
  case timedOut
}

/// A pipe whose read end becomes readable, for good, once `signal()` is called; threads
/// include it in their `poll`s so that they wake up. Nothing ever reads it.
final class WakeSignal: Sendable {
  let readEnd: Int32
  private let writeEnd: Int32

  init() throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw FaultProxy.SetupError(operation: "pipe", code: errno) }
    readEnd = ends[0]
    writeEnd = ends[1]
    ProxySocket.makeNonBlocking(readEnd)
    ProxySocket.makeNonBlocking(writeEnd)
  }

  func signal() {
    var byte: UInt8 = 1
    _ = write(writeEnd, &byte, 1)
  }

  /// Closes the pipe; only once no thread polls it any more.
  func close() {
    ProxySocket.close(readEnd)
    ProxySocket.close(writeEnd)
  }
}

extension ProxySocket {
  /// Waits until `descriptor` is ready for `events`, a wake signal among `wakers` fires
  /// (which wins over readiness), or `timeout` passes (nil: no timeout, only the wakers end it).
  static func wait(_ descriptor: Int32, for events: Int32, wakers: [Int32], timeout: Duration?) -> SocketWait {
    var watched = [pollfd(fd: descriptor, events: Int16(events), revents: 0)] + wakers.map(readable)
    let deadline = timeout.map { ContinuousClock.now + $0 }
    // Bounded: returns on readiness, a wake or the deadline; turns again only after EINTR.
    while true {
      let found = poll(&watched, nfds_t(watched.count), milliseconds(until: deadline))
      if found < 0 && errno != EINTR { return .ready }  // Let the caller's own call report the failure.
      if watched.dropFirst().contains(where: { $0.revents != 0 }) { return .woken }
      if watched[0].revents != 0 { return .ready }
      if let deadline, ContinuousClock.now >= deadline { return .timedOut }
    }
  }

  /// Sleeps for `duration`; false when a wake signal among `wakers` cut it short.
  static func sleep(_ duration: Duration, wakers: [Int32]) -> Bool {
    guard duration > .zero else { return true }
    var watched = wakers.map(readable)
    let deadline = ContinuousClock.now + duration
    // Bounded by the deadline.
    while ContinuousClock.now < deadline {
      let found = poll(&watched, nfds_t(watched.count), milliseconds(until: deadline))
      if found > 0 { return false }
    }
    return true
  }

  private static func readable(_ descriptor: Int32) -> pollfd {
    pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
  }

  /// A `poll` timeout reaching `deadline`, rounded up; -1 (none) without a deadline.
  private static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
    guard let deadline else { return -1 }
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else { return 0 }
    let (seconds, attoseconds) = remaining.components
    let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int32(clamping: millis)
  }
}

extension FaultProxy {
  /// The proxy could not start: a socket call failed.
  public struct SetupError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public var description: String { "fault proxy: \(operation) failed: \(String(cString: strerror(code)))" }
  }
}
