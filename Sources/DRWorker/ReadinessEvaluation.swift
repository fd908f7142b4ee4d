import Foundation

/// `/readyz`'s answer: ready, or not and why, one line per policy.
public struct ReadinessReport: Sendable, Equatable {
  public var ready: Bool
  public var lines: [String]

  /// The body: `ready` or `not ready`, then the lines.
  public var text: String {
    ([ready ? "ready" : "not ready"] + lines).joined(separator: "\n") + "\n"
  }
}

/// The judgement behind `/readyz`, a pure function of the cached reads and a date: ready
/// when the policies are loaded and every policy's bucket answered its last read, recently.
enum ReadinessEvaluation {
  static func evaluate(_ snapshot: ReadinessState.Snapshot, now: Date, staleAfter: TimeInterval) -> ReadinessReport {
    guard let policies = snapshot.policies else {
      return ReadinessReport(ready: false, lines: ["the policies are not loaded yet"])
    }
    guard !policies.isEmpty else { return ReadinessReport(ready: false, lines: ["no policy is loaded"]) }
    var ready = true
    var lines: [String] = []
    for policy in policies.sorted() {
      let (fine, line) = judge(policy, snapshot.reads[policy], now: now, staleAfter: staleAfter)
      ready = ready && fine
      lines.append(line)
    }
    return ReadinessReport(ready: ready, lines: lines)
  }

  static func judge(
    _ policy: String, _ read: ReadinessState.BucketRead?, now: Date, staleAfter: TimeInterval
  ) -> (Bool, String) {
    guard let read else { return (false, "\(policy): its bucket has not been read yet") }
    let ago = HealthText.duration(now.timeIntervalSince(read.at))
    guard read.succeeded else {
      let since =
        read.lastSuccess.map { "last read \(HealthText.duration(now.timeIntervalSince($0))) ago" } ?? "never read"
      return (
        false,
        "\(policy): its bucket could not be read \(ago) ago (\(since)): \(read.problem ?? "no reason given"): "
          + "run dr check --policy \(policy)"
      )
    }
    guard now.timeIntervalSince(read.at) <= staleAfter else {
      return (
        false,
        "\(policy): its bucket was last read \(ago) ago, more than \(HealthText.duration(staleAfter)): "
          + "the worker's bucket watch is stuck; look at the worker's log"
      )
    }
    return (true, "\(policy): ok: bucket read \(ago) ago")
  }
}
