import Foundation

/// Why the scheduler did not start a job that was due.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
  /// The previous run has not returned; runs of one job never overlap.
  case stillRunning(since: Date)

  public var description: String {
    switch self {
    case .stillRunning(let since): "the run started at \(since) is still going"
    }
  }
}
