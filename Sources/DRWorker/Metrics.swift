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

  /// - Parameters:
  ///   - startedAt: the worker's start, for `dr_worker_start_timestamp_seconds`; the clock's now if nil.
  ///   - clock: the current time, read when rendering.
  public init(startedAt: Date? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
    self.clock = clock
    gauge(.workerStart, []).set(to: (startedAt ?? clock()).timeIntervalSince1970)
  }

  /// The Prometheus text exposition format (version 0.0.4) of every series recorded so far.
  public func render() -> String {
    let now = clock()
    for (policy, at) in newestVerified.withLock({ $0 }) {
      gauge(.newestVerifiedAge, [("policy", policy)]).set(to: now.timeIntervalSince(at))
    }
    return registry.emitToString()
  }

  func rememberNewestVerified(policy: String, at: Date) {
    newestVerified.withLock { $0[policy] = at }
  }

  func gauge(_ family: MetricsFamily, _ labels: [(String, String)]) -> Gauge {
    registry.makeGauge(descriptor: family.descriptor, labels: labels)
  }

  func counter(_ family: MetricsFamily, _ labels: [(String, String)]) -> Counter {
    registry.makeCounter(descriptor: family.descriptor, labels: labels)
  }
}
