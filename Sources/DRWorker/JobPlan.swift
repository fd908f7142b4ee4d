import DRPolicy

/// The jobs the worker runs for a policy.
///
/// - backup and verify on the policy's own schedules (a missing schedule, no job);
/// - prune after every successful backup, so it has no schedule of its own, and only
///   when there is a backup job;
/// - copy after every successful backup and verification, when the policy has copy
///   destinations (`storage.copies`, or an environment with storage of its own);
/// - `check --env E` once a day for each environment but `production` (production is
///   what the backups read; the check is for the places a failover would go).
///
/// The daily check's time comes from a stable hash of the policy and environment names,
/// so many policies spread over the day instead of all checking at midnight, and a
/// restarted worker keeps the same time.
public enum JobPlan {
  /// The environment that is never checked.
  public static let production = "production"

  public static func jobs(for policy: Policy) -> [Job] {
    var jobs: [Job] = []
    if let backup = policy.backup.schedule {
      jobs.append(Job(policy: policy.name, kind: .backup, schedule: backup))
      jobs.append(Job(policy: policy.name, kind: .prune, schedule: nil))
    }
    if let verify = policy.verify.schedule {
      jobs.append(Job(policy: policy.name, kind: .verify, schedule: verify))
    }
    if !policy.copyDestinations.isEmpty, jobs.contains(where: { $0.kind == .backup || $0.kind == .verify }) {
      jobs.append(Job(policy: policy.name, kind: .copy, schedule: nil))
    }
    for environment in policy.environments where environment.name != production {
      let schedule = checkSchedule(policy: policy.name, environment: environment.name)
      jobs.append(Job(policy: policy.name, kind: .check(environment: environment.name), schedule: schedule))
    }
    return jobs
  }

  public static func jobs(for policies: [Policy]) -> [Job] {
    policies.flatMap(jobs(for:))
  }

  /// `M H * * *` with the time from `checkTime`.
  public static func checkSchedule(policy: String, environment: String) -> CronExpression {
    let time = checkTime(policy: policy, environment: environment)
    guard let cron = try? CronExpression(parsing: "\(time.minute) \(time.hour) * * *") else {
      preconditionFailure("a minute 0-59 and an hour 0-23 always parse")
    }
    return cron
  }

  /// The UTC time of day of a daily check: the 64-bit FNV-1a hash of
  /// `POLICY`, a NUL byte and `ENVIRONMENT` (UTF-8); minute = hash mod 60,
  /// hour = (hash / 60) mod 24. FNV-1a rather than `Hasher`, whose seed changes
  /// with every process.
  public static func checkTime(policy: String, environment: String) -> (hour: Int, minute: Int) {
    let hash = fnv1a(Array(policy.utf8) + [0] + Array(environment.utf8))
    return (Int((hash / 60) % 24), Int(hash % 60))
  }

  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325) { hash, byte in (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
  }
}
