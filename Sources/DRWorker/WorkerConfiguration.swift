import Foundation

/// How `dr worker` runs: its policies, where it listens, its timings.
public struct WorkerConfiguration: Sendable {
  /// The policy files, looked up again on every (re)load (a directory may gain some).
  public var policyFiles: @Sendable () throws -> [String]
  public var listenHost: String
  public var listenPort: Int
  /// Up to this many seconds of random delay added to each fire time (0: none).
  public var jitterSeconds: Int
  /// On SIGTERM, how long running jobs may go on before they are stopped (cleanly).
  public var grace: Duration
  /// A job lease's time to live; renewed every third of it.
  public var leaseTTL: TimeInterval
  /// How often a run another worker holds is looked at.
  public var poll: Duration
  /// The `dr` the jobs run (this executable).
  public var executable: String
  /// The environment of the worker and of its jobs.
  public var variables: [String: String]
  /// How often each policy's bucket is read for `/readyz` (the probes only read the cache).
  public var bucketCheckInterval: Duration
  /// The git commit this dr was built from, for `dr_build_info`.
  public var buildRevision: String

  public init(
    policyFiles: @escaping @Sendable () throws -> [String], listenHost: String, listenPort: Int, jitterSeconds: Int,
    grace: Duration, leaseTTL: TimeInterval, poll: Duration, executable: String, variables: [String: String],
    bucketCheckInterval: Duration = .seconds(60), buildRevision: String = "unknown"
  ) {
    self.policyFiles = policyFiles
    self.listenHost = listenHost
    self.listenPort = listenPort
    self.jitterSeconds = jitterSeconds
    self.grace = grace
    self.leaseTTL = leaseTTL
    self.poll = poll
    self.executable = executable
    self.variables = variables
    self.bucketCheckInterval = bucketCheckInterval
    self.buildRevision = buildRevision
  }

  /// A successful bucket read older than this leaves `/readyz` failing: three missed
  /// rounds, and never less than three minutes (a slow listing is not an outage).
  public var readinessStaleAfter: TimeInterval {
    max(3 * Double(bucketCheckInterval.components.seconds), 180)
  }
}
