import DRBackup
import DRCore
import DRPolicy
import DRStorage
import Foundation
import Logging

/// One scheduled run of a job, as the worker carries it out.
public struct JobRequest: Sendable, Equatable {
  public var policy: Policy
  /// The policy's file, given to the `dr` child.
  public var policyFile: String
  /// "backup", "verify", "prune", "check:ENV".
  public var job: String
  /// The `dr` arguments (the policy is added).
  public var arguments: [String]
  /// The run's nominal time (the cron time, before jitter): how workers name a run.
  public var fire: Date

  public init(policy: Policy, policyFile: String, job: String, arguments: [String], fire: Date) {
    self.policy = policy
    self.policyFile = policyFile
    self.job = job
    self.arguments = arguments
    self.fire = fire
  }
}

/// Runs a job's scheduled run once across every worker: takes the run's lease and runs
/// the `dr` child, or watches the worker that took it and takes over if it dies.
public struct JobExecutor: Sendable {
  public enum Result: Sendable, Equatable {
    case ran(JobReport)
    /// Not run here, and why (another worker ran it, it would overlap, shutdown).
    case skipped(String)
    /// Could not be run: the lease's bucket was unreachable.
    case failed(String)
    /// Started here, but another worker took the run's lease over meanwhile: the `dr` child
    /// was stopped, and the run (its end record, its lease) is the other worker's now.
    case lost(String)
  }

  let processes: JobProcesses
  let worker: WorkerIdentity
  let leaseTTL: TimeInterval
  let pollInterval: Duration
  /// How many times a run held by another worker is looked at before giving up.
  let maxPolls: Int
  /// How many times a backup refused for its lease is tried again.
  let lockedRetries = 6
  let variables: [String: String]
  let logger: Logger
  /// Set when the worker stops: a run held by another worker is no longer watched.
  public let stopping = StopFlag()

  public init(
    processes: JobProcesses, worker: WorkerIdentity, leaseTTL: TimeInterval = 60, pollInterval: Duration = .seconds(5),
    maxPolls: Int = 17_280, variables: [String: String], logger: Logger = Logger(label: "dr.worker")
  ) {
    self.processes = processes
    self.worker = worker
    self.leaseTTL = leaseTTL
    self.pollInterval = pollInterval
    self.maxPolls = maxPolls
    self.variables = variables
    self.logger = logger
  }

  public func execute(_ request: JobRequest) async -> Result {
    let storage: Storage
    do {
      storage = try await StorageConnector(environment: variables).connect(request.policy.storage)
    } catch {
      return .failed("cannot reach \(request.policy.storage.location) to take the run's lease: \(error)")
    }
    let keys = JobRecordKeys(
      layout: BucketLayout(prefix: storage.prefix, policyName: request.policy.name), job: request.job)
    for _ in 0..<maxPolls {
      let claim: JobLease.Claim
      do {
        claim = try await JobLease.claim(
          client: storage.client, bucket: storage.bucket, keys: keys, fire: request.fire, worker: worker,
          ttl: leaseTTL, logger: logger)
      } catch {
        return .failed("cannot take the run's lease \(keys.lease): \(error)")
      }
      switch claim {
      case .taken(let lease): return await run(request, lease)
      case .done(let last): return .skipped("run by \(last.worker) (\(last.outcome))")
      case .busy(let holder): return .skipped("the run of \(holder.fire.formatted(.iso8601)) still goes on")
      case .running:
        guard !stopping.isSet else { return .skipped("the worker is stopping") }
        do {
          try await Task.sleep(for: pollInterval)
        } catch {
          return .skipped("the worker is stopping")
        }
      }
    }
    return .skipped("another worker held the run for longer than this worker watches")
  }

  /// Runs the `dr` child. A backup refused because another one holds the policy's
  /// backup lease is tried again a few times: after a take-over, the dead worker's child
  /// may still be aborting its upload and releasing that lease.
  private func run(_ request: JobRequest, _ lease: JobLease) async -> Result {
    let report: JobReport
    do {
      // A lease taken over by another worker cancels this: the child gets SIGTERM.
      report = try await lease.guarding { [self] in await runWithRetries(request) }
    } catch {
      return .lost("\(error)")  // The lease logged the loss; the reporter logs the run.
    }
    // A child that ended well before it could be stopped did its work: reported as such,
    // though the end record and the lease are left to the worker that took the run over.
    if let loss = await lease.lostError, !report.succeeded { return .lost("\(loss)") }
    // In a task of its own: when the worker's stop cancelled this run, the lease's
    // requests must still go out.
    let succeeded = report.succeeded
    if report.interrupted {
      await Task.detached { await lease.release() }.value
    } else {
      await Task.detached { await lease.finish(outcome: succeeded ? "succeeded" : "failed") }.value
    }
    return .ran(report)
  }

  private func runWithRetries(_ request: JobRequest) async -> JobReport {
    var report = await runOnce(request)
    for _ in 0..<lockedRetries where report.locked {
      logger.info("\(request.policy.name) \(request.job): the backup lease is held; trying again")
      guard (try? await Task.sleep(for: pollInterval)) != nil else { break }
      report = await runOnce(request)
    }
    return report
  }

  private func runOnce(_ request: JobRequest) async -> JobReport {
    do {
      return try await processes.run(request.arguments + ["--json", "--policy", request.policyFile])
    } catch {
      return JobReport(status: 1, standardOutput: "", standardError: "cannot start dr: \(error)")
    }
  }
}
