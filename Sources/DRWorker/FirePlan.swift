import DRPolicy
import Foundation

/// The next fire time of every scheduled job: a plain value the scheduler asks what is
/// due and when to wake next.
///
/// Each slot keeps the cron's nominal time and the jittered time it fires at. After a
/// fire, the next nominal time follows the previous one; if that is already past (the
/// machine slept, or jitter outran a short interval), missed fires collapse into the
/// first nominal time after now, as in cron.
struct FirePlan {
  struct Slot {
    var job: Job
    var nominal: Date
    var fireAt: Date
  }

  private(set) var slots: [Slot] = []
  let jitter: Jitter

  /// Slots for the jobs with a schedule that fires at all.
  init(jobs: [Job], now: Date, jitter: Jitter) {
    self.jitter = jitter
    for job in jobs {
      guard let nominal = job.schedule?.next(after: now) else { continue }
      slots.append(Slot(job: job, nominal: nominal, fireAt: jitter.apply(to: nominal)))
    }
  }

  /// When the scheduler must next wake; nil when nothing is scheduled.
  var earliest: Date? { slots.map(\.fireAt).min() }

  /// The jobs due at `now`, earliest first, each moved on to its next fire time. A job
  /// whose cron stops matching leaves the plan.
  mutating func takeDue(at now: Date) -> [(job: Job, nominal: Date)] {
    let due = slots.filter { $0.fireAt <= now }.sorted { ($0.fireAt, $0.job.name) < ($1.fireAt, $1.job.name) }
    slots = slots.compactMap { $0.fireAt <= now ? rescheduled($0, now: now) : $0 }
    return due.map { ($0.job, $0.nominal) }
  }

  private func rescheduled(_ slot: Slot, now: Date) -> Slot? {
    guard let schedule = slot.job.schedule, let following = schedule.next(after: slot.nominal) else { return nil }
    guard let nominal = following > now ? following : schedule.next(after: now) else { return nil }
    return Slot(job: slot.job, nominal: nominal, fireAt: jitter.apply(to: nominal))
  }
}
