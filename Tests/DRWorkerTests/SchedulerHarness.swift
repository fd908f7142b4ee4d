import DRPolicy
import DRWorker
import Foundation
import Synchronization
import Testing

/// A scheduler on a `ManualClock` starting at `start`, with a recorder and a gate.
/// Jobs named in `held` wait on the gate; the others end at once with their outcome in
/// `outcomes` (success by default).
struct SchedulerHarness {
  let clock: ManualClock
  let recorder = Recorder()
  let gate = JobGate()
  /// The nominal time each run was given, by job name, in order.
  let fires = FireLog()
  let scheduler: Scheduler

  init(
    jobs: [Job], start: Date, lastSuccess: Date? = nil, jitter: Jitter = .none,
    held: Set<String> = [], outcomes: [String: JobOutcome] = [:]
  ) {
    let clock = ManualClock(now: start)
    let gate = self.gate
    let fires = self.fires
    self.clock = clock
    scheduler = Scheduler(
      jobs: jobs, clock: clock, jitter: jitter, lastSuccess: { _ in lastSuccess },
      run: { job, fire in
        fires.append(job.name, fire)
        if held.contains(job.name) { return await gate.run(job) }
        return outcomes[job.name] ?? .succeeded(detail: "ok")
      }, observer: recorder)
  }

  /// Starts `run()` and waits until the scheduler sleeps for its first fire time.
  func start() async -> Task<Void, Never> {
    let scheduler = self.scheduler
    let task = Task { await scheduler.run() }
    await clock.waitForSleepers(1)
    return task
  }

  /// Moves the clock to `date` and waits until the recorder has `events` events and the
  /// scheduler sleeps again.
  @discardableResult
  func advance(to date: Date, expecting events: Int) async -> [Recorder.Event] {
    clock.advance(to: date)
    let seen = await recorder.events(atLeast: events)
    await clock.waitForSleepers(1)
    return seen
  }

  func finish(_ task: Task<Void, Never>) async {
    await scheduler.stop()
    await task.value
  }
}

/// The nominal fire times the scheduler passed to its runner.
final class FireLog: Sendable {
  private let fires = Mutex<[String: [Date]]>([:])

  func append(_ name: String, _ fire: Date) { fires.withLock { $0[name, default: []].append(fire) } }

  subscript(name: String) -> [Date] { fires.withLock { $0[name] ?? [] } }
}

func job(_ kind: JobKind, _ cron: String?, policy: String = "p") throws -> Job {
  Job(policy: policy, kind: kind, schedule: try cron.map { try CronExpression(parsing: $0) })
}

func date(_ text: String) throws -> Date {
  try Date(text, strategy: .iso8601)
}
