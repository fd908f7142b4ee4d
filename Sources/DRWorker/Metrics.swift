import DRCore
import Foundation
import Prometheus
import Synchronization

/// The worker's Prometheus metrics: what the schedules did, recorded as it happens,
/// rendered for `GET /metrics`.
///
/// Each instance owns its registry rather than bootstrapping swift-metrics' global
/// one, so two workers (or two tests) in one process never see each other's series.
public final class WorkerMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  /// Read at scrape time: the age gauges say how old a backup is now, not when it was recorded.
  private let clock: @Sendable () -> Date
  /// The newest verified backup per policy, kept to compute its age at each scrape.
  private let newestVerified = Mutex<[String: Date]>([:])
  /// The timestamp gauges' values, by series: they only move forward, so a bucket read that
  /// began before a job ended never takes back what the job recorded.
  private let timestamps = Mutex<[String: Double]>([:])
  /// The policies whose series exist (`watch`).
  private let watched = Mutex<Set<String>>([])

  /// - Parameters:
  ///   - startedAt: the worker's start, for `dr_worker_start_timestamp_seconds`; the clock's now if nil.
  ///   - revision: the git commit this dr was built from, for `dr_build_info`.
  ///   - clock: the current time, read when rendering.
  public init(
    startedAt: Date? = nil, version: String = DRVersion.current, revision: String = "unknown",
    clock: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.clock = clock
    gauge(.workerStart, []).set(to: (startedAt ?? clock()).timeIntervalSince1970)
    gauge(.buildInfo, [("version", version), ("revision", revision)]).set(to: 1)
  }

  /// The Prometheus text exposition format (version 0.0.4) of every series recorded so far.
  public func render() -> String {
    let now = clock()
    for (policy, at) in newestVerified.withLock({ $0 }) {
      gauge(.newestVerifiedAge, [("policy", policy)]).set(to: now.timeIntervalSince(at))
    }
    return registry.emitToString()
  }

  /// Makes every series an alert needs exist for `policy` from the first scrape on, also
  /// for a policy that never ran: timestamps at 0 ("none known"), outcomes at -1 ("none
  /// since the worker started"). A policy already watched (a reload) keeps its values.
  public func watch(policy: String) {
    guard watched.withLock({ $0.insert(policy).inserted }) else { return }
    let labels = [("policy", policy)]
    for family in MetricsFamily.policyTimestamps where timestamps.withLock({ $0[key(family, policy)] == nil }) {
      gauge(family, labels).set(to: 0)
    }
    gauge(.backupLastOutcome, labels).set(to: -1)
    gauge(.verifyLastOutcome, labels).set(to: -1)
  }

  func rememberNewestVerified(policy: String, at: Date) {
    newestVerified.withLock { $0[policy] = max($0[policy] ?? at, at) }
  }

  /// Sets a timestamp gauge of `policy` to `at`, unless it already holds a later time.
  func advance(_ family: MetricsFamily, policy: String, to at: Date) {
    let value = at.timeIntervalSince1970
    let moved = timestamps.withLock { values in
      guard (values[key(family, policy)] ?? -.infinity) < value else { return false }
      values[key(family, policy)] = value
      return true
    }
    if moved { gauge(family, [("policy", policy)]).set(to: value) }
  }

  private func key(_ family: MetricsFamily, _ policy: String) -> String { "\(family.name)\u{0}\(policy)" }

  func gauge(_ family: MetricsFamily, _ labels: [(String, String)]) -> Gauge {
    registry.makeGauge(descriptor: family.descriptor, labels: labels)
  }

  func counter(_ family: MetricsFamily, _ labels: [(String, String)]) -> Counter {
    registry.makeCounter(descriptor: family.descriptor, labels: labels)
  }
}

extension MetricsFamily {
  /// The per-policy timestamps every policy has from the first scrape on.
  static let policyTimestamps: [MetricsFamily] = [
    .backupLastSuccess, .backupLastAttempt, .verifyLastSuccess, .verifyLastTimestamp, .newestVerifiedTimestamp,
    .bucketLastRead,
  ]
}
