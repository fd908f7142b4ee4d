import Synchronization

/// A one-way switch, safe from any thread: tells work on a thread of its own (or a loop
/// elsewhere) that it should stop.
public final class StopFlag: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  public var isSet: Bool { flag.load(ordering: .acquiring) }

  public func set() { flag.store(true, ordering: .releasing) }

  public func check() throws(CancellationError) {
    if isSet { throw CancellationError() }
  }
}
