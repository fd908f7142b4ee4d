import DRPolicy
import Foundation

/// Runs a worker's jobs on their schedules.
///
/// - Every job with a schedule fires at its cron's times plus `jitter`.
/// - Runs of one job never overlap: a job still running when it is due again is not
///   started; the run is counted in `skipped` and reported to the observer.
/// - On start, a job whose last success is unknown or older than its interval (the gap
///   between its next two fire times) runs at once: catch-up after downtime.
/// - A backup that succeeds is followed by its policy's prune, if there is one.
/// - `stop()` is the graceful end: nothing new starts (not even a prune), running jobs
///   go on, and `run()` returns once they have. The scheduler never cancels a job
///   itself; cancelling the task of `run()` is the forced end: nothing new starts and
///   the cancellation reaches the running jobs (child tasks), whose runner must give up
///   within its grace period. `run()` still returns only after they have.
public actor Scheduler {
  public typealias LastSuccess = @Sendable (Job) async -> Date?
  /// Runs one run of a job; the date is the run's nominal time (the cron time before
  /// jitter, the same on every worker), which names the run in the bucket's leases.
  public typealias Runner = @Sendable (Job, Date) async -> JobOutcome

  enum Phase {
    case ready, running, stopping, finished
  }

  let jobs: [Job]
  let clock: any WorkerClock
  let jitter: Jitter
  let lastSuccess: LastSuccess
  let runner: Runner
  let observer: any SchedulerObserver
  var phase = Phase.ready
  /// The loop's current wait on the clock, cancelled by `stop()` to wake it.
  var pendingSleep: Task<Void, any Error>?
  /// When each job running now started, by job name.
  var running: [String: Date] = [:]
  /// Due runs not started because the job was still running, by job name.
  public internal(set) var skipped: [String: Int] = [:]
  /// Runs waiting for their policy's running backup to end, by policy.
  var afterBackup: [String: [(job: Job, fire: Date)]] = [:]

  public init(
    jobs: [Job], clock: any WorkerClock = SystemClock(), jitter: Jitter = Jitter(),
    lastSuccess: @escaping LastSuccess, run: @escaping Runner,
    observer: any SchedulerObserver = NoSchedulerObserver()
  ) {
    self.jobs = jobs
    self.clock = clock
    self.jitter = jitter
    self.lastSuccess = lastSuccess
    self.runner = run
    self.observer = observer
  }

  /// Names of the jobs running now, sorted.
  public var runningJobs: [String] { running.keys.sorted() }

  /// Runs the schedule until `stop()` or cancellation, then waits for running jobs.
  /// A scheduler runs once: a second call, or a call after `stop()`, returns at once.
  ///
  /// The loop lasts as long as the service: each pass sleeps until a later fire time
  /// (every due job is moved past now before the next sleep, so it never spins), and it
  /// ends when `stop()` or cancellation interrupts the sleep.
  public func run() async {
    guard phase == .ready else { return }
    phase = .running
    await withDiscardingTaskGroup { group in
      var plan = FirePlan(jobs: jobs, now: clock.now, jitter: jitter)
      await catchUp(in: &group)
      while await wait(until: plan.earliest ?? .distantFuture) {
        for (job, fire) in plan.takeDue(at: clock.now) { start(job, fire: fire, in: &group) }
      }
      phase = .stopping
    }
    phase = .finished
  }

  /// Starts nothing more; `run()` returns when the running jobs have finished.
  public func stop() {
    guard phase == .ready || phase == .running else { return }
    phase = .stopping
    pendingSleep?.cancel()
  }

  /// Whether new work may start: not stopping and not cancelled.
  var accepting: Bool { phase == .running && !Task.isCancelled }

  /// Sleeps on the clock until `deadline` (or an early wake); false when the loop must end.
  private func wait(until deadline: Date) async -> Bool {
    guard accepting else { return false }
    let clock = self.clock
    let sleep = Task { try await clock.sleep(until: deadline) }
    pendingSleep = sleep
    let slept = await withTaskCancellationHandler {
      (try? await sleep.value) != nil
    } onCancel: {
      sleep.cancel()
    }
    pendingSleep = nil
    return slept && accepting
  }

  /// The nominal time of a catch-up run: the job's latest cron time at or before `now`
  /// (the first after `now - interval`), so workers starting in the same interval name
  /// the run alike.
  static func lastFire(of job: Job, before now: Date, interval: TimeInterval) -> Date {
    guard let fire = job.schedule?.next(after: now.addingTimeInterval(-interval)), fire <= now else { return now }
    return fire
  }

  /// Runs at once every scheduled job that is overdue: never succeeded, or not within
  /// one interval of now.
  /// A verification overdue together with its policy's backup waits for that backup, so
  /// it checks the backup just made (on a first start there is nothing else to check).
  private func catchUp(in group: inout DiscardingTaskGroup) async {
    let now = clock.now
    var overdue: [(job: Job, fire: Date)] = []
    for job in jobs {
      guard let interval = job.interval(after: now) else { continue }
      let last = await lastSuccess(job)
      guard accepting else { return }
      if last.map({ now.timeIntervalSince($0) > interval }) ?? true {
        overdue.append((job, Self.lastFire(of: job, before: now, interval: interval)))
      }
    }
    let backups = Set(overdue.filter { $0.job.kind == .backup }.map(\.job.policy))
    for (job, fire) in overdue {
      if job.kind == .verify, backups.contains(job.policy) {
        afterBackup[job.policy, default: []].append((job, fire))
      } else {
        start(job, fire: fire, in: &group)
      }
    }
  }
}
