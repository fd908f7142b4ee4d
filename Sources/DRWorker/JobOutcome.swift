/// How one run of a job ended, as the job runner reports it.
public enum JobOutcome: Sendable, Hashable, CustomStringConvertible {
  case succeeded(detail: String)
  case failed(reason: String)
  /// The runner chose not to run it (another worker holds the lease, say).
  case skipped(reason: String)

  public var isSuccess: Bool {
    if case .succeeded = self { true } else { false }
  }

  public var description: String {
    switch self {
    case .succeeded(let detail): "succeeded: \(detail)"
    case .failed(let reason): "failed: \(reason)"
    case .skipped(let reason): "skipped: \(reason)"
    }
  }
}
