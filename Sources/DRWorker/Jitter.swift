import Foundation

/// A random delay of 0…`maximumSeconds` whole seconds added to each scheduled fire time,
/// so workers that share a schedule (or a policy copied many times) do not all hit the
/// database and the bucket in the same second. Catch-up runs get none: they are late
/// already.
public struct Jitter: Sendable {
  /// Picks a number in the range it is given; injectable so tests are deterministic.
  public typealias Source = @Sendable (ClosedRange<Int>) -> Int

  /// 0 disables jitter.
  public let maximumSeconds: Int
  private let source: Source

  public init(maximumSeconds: Int = 30, source: @escaping Source = { Int.random(in: $0) }) {
    self.maximumSeconds = max(0, maximumSeconds)
    self.source = source
  }

  public static let none = Jitter(maximumSeconds: 0)

  /// The delay for one fire; clamped, so a careless source cannot leave the range.
  public func delay() -> TimeInterval {
    guard maximumSeconds > 0 else { return 0 }
    return TimeInterval(min(max(source(0...maximumSeconds), 0), maximumSeconds))
  }

  public func apply(to date: Date) -> Date {
    date.addingTimeInterval(delay())
  }
}
