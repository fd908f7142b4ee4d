import DRCore
import DRPolicy
import Foundation
import Logging

/// The worker's moving parts for one policy set, and the set's replacement on reload:
/// one scheduler runs at a time; a reload stops the old one from starting anything
/// (its running jobs go on; the bucket's leases keep the new one from running them
/// twice) and starts a new one.
actor WorkerRuntime {
  let configuration: WorkerConfiguration
  let metrics: WorkerMetrics
  let health: HealthState
  let readiness: ReadinessState
  let processes: JobProcesses
  let executor: JobExecutor
  let logger: Logger
  private var policies: PolicySet
  private var current: (scheduler: Scheduler, task: Task<Void, Never>)?
  /// The bucket watch of the current policies, replaced on reload.
  private var watching: Task<Void, Never>?
  private var retired: [Task<Void, Never>] = []
  private var notifiers: [String: WebhookNotifier] = [:]
  private var stopping = false
  private var stopped = false
  private var stopWaiters: [CheckedContinuation<Void, Never>] = []

  init(
    configuration: WorkerConfiguration, policies: PolicySet, metrics: WorkerMetrics, health: HealthState,
    readiness: ReadinessState, logger: Logger
  ) {
    self.configuration = configuration
    self.policies = policies
    self.metrics = metrics
    self.health = health
    self.readiness = readiness
    self.logger = logger
    processes = JobProcesses(executable: configuration.executable, environment: configuration.variables)
    executor = JobExecutor(
      processes: processes, worker: WorkerIdentity(), leaseTTL: configuration.leaseTTL,
      pollInterval: configuration.poll, variables: configuration.variables, logger: logger)
  }

  /// Makes every policy's series exist and reads what the bucket knows (the last backup and
  /// verification, the newest verified backup) before `/metrics`, `/healthz` and `/readyz`
  /// answer, so none reports a verified policy as unverified at start. A bucket that cannot
  /// be read leaves those series at 0 and `/readyz` failing until the watch reads it.
  func prepare() async {
    for entry in policies.entries {
      health.register(policy: entry.policy.name, maxAge: entry.policy.verify.maxAge.map { TimeInterval($0.seconds) })
      metrics.watch(policy: entry.policy.name)
      if notifiers[entry.policy.name] == nil, let notify = entry.policy.notify {
        notifiers[entry.policy.name] = WebhookNotifier(configuration: WebhookConfiguration(notify), logger: logger)
      }
    }
    let watch = bucketWatch()
    for entry in policies.entries { await watch.check(entry.policy) }
    readiness.loaded(policies: policies.entries.map(\.policy.name))
  }

  private func bucketWatch() -> BucketWatch {
    BucketWatch(
      metrics: metrics, health: health, readiness: readiness, variables: configuration.variables,
      interval: configuration.bucketCheckInterval, logger: logger)
  }

  private func reporter() -> JobReporter {
    JobReporter(
      metrics: metrics, health: health, notifiers: notifiers, variables: configuration.variables, logger: logger)
  }

  /// Starts the scheduler of the current policies (`prepare()` first).
  func start() async {
    guard !stopping else { return }
    let reporter = reporter()
    let jobs = WorkerJobs(
      policies: policies, executor: executor, reporter: reporter, variables: configuration.variables)
    let scheduler = Scheduler(
      jobs: JobPlan.jobs(for: policies.entries.map(\.policy)), clock: SystemClock(),
      jitter: Jitter(maximumSeconds: configuration.jitterSeconds),
      lastSuccess: { await jobs.lastSuccess($0) }, run: { await jobs.run($0, fire: $1) }, observer: reporter)
    current = (scheduler, Task { await scheduler.run() })
    let watch = bucketWatch()
    let watched = policies.entries.map(\.policy)
    watching?.cancel()
    watching = Task { await watch.run(watched) }
    let names = policies.entries.map(\.policy.name).joined(separator: ", ")
    logger.info("worker scheduling \(policies.entries.count) policies: \(names)")
  }

  /// Loads the policies again; keeps the running ones when the new set is invalid.
  func reload() async {
    guard !stopping else { return }
    let loaded: PolicySet
    do {
      loaded = try PolicySet.load(files: try configuration.policyFiles(), environment: configuration.variables)
    } catch {
      logger.error("reload failed, the policies already loaded keep running: \(error)")
      return
    }
    if let current {
      await current.scheduler.stop()
      retired.append(current.task)
    }
    policies = loaded
    await prepare()
    await start()
  }

  /// The graceful end: nothing new starts; running jobs get `grace`, then SIGTERM (a
  /// backup aborts its upload), then SIGKILL a minute later. Returns when all ended.
  func stop() async {
    guard !stopping else { return }
    stopping = true
    logger.info("worker stopping: no new runs; running jobs get \(configuration.grace) to finish")
    if let current {
      await current.scheduler.stop()
      retired.append(current.task)
    }
    current = nil
    watching?.cancel()
    executor.stopping.set()
    let processes = self.processes
    let grace = configuration.grace
    let tasks = retired
    let deadline = Task {
      guard (try? await Task.sleep(for: grace)) != nil else { return }
      for task in tasks { task.cancel() }
      await processes.terminateAll(grace: .seconds(60))
    }
    for task in retired { await task.value }
    deadline.cancel()
    for notifier in notifiers.values { await notifier.shutdown(deadline: .now + .seconds(10)) }
    logger.info("worker stopped")
    stopped = true
    for waiter in stopWaiters { waiter.resume() }
    stopWaiters = []
  }

  /// Returns once `stop()` has ended everything.
  func waitUntilStopped() async {
    guard !stopped else { return }
    await withCheckedContinuation { stopWaiters.append($0) }
  }
}
