/// How a scheduled job's run ended: the `outcome` label of `dr_job_runs_total`.
public enum RunOutcome: String, Sendable, CaseIterable {
  case succeeded
  case failed
  /// Stopped by the worker's shutdown before it could finish.
  case cancelled
  /// Stopped because another worker took the run's lease over (the run is its now).
  case lost
  /// A verification this worker's host or settings kept from finishing: the backup is not
  /// blamed, but the verifier needs a look.
  case inconclusive
}
