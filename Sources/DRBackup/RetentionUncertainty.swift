/// Retention over backups whose state is partly unknown. Every state the unknowns could be
/// in is planned; a known backup is removed only when every one of those plans removes
/// exactly the same known backups. Otherwise the unknowns could change what the rule
/// keeps, and nothing is removed (`blocked`). Unknown backups themselves are always kept.
struct UncertainRetention {
  /// Beyond this many states (3^6), the plan does not try them all: it removes nothing.
  static let maxWorlds = 729

  let backups: [RetentionCandidate]
  /// The plan of backups whose state is known.
  let knownPlan: ([RetentionCandidate]) -> RetentionPlan

  func plan() -> RetentionPlan {
    let uncertain = backups.filter { $0.unknown != nil }
    let base = knownPlan(instantiate(Dictionary(uniqueKeysWithValues: uncertain.map { ($0.id, Self.options($0)[0]) })))
    var removals = Set<[BackupID]>()
    var latestGood = Set<BackupID?>()
    let worlds = Self.worlds(uncertain)
    for world in worlds ?? [] {
      let planned = knownPlan(instantiate(world))
      removals.insert(planned.removed.filter { world[$0] == nil })
      latestGood.insert(planned.latestGood)
    }
    let blocked = worlds == nil || removals.count > 1
    let entries = backups.map { candidate -> RetentionPlan.Entry in
      if let unknown = candidate.unknown {
        return RetentionPlan.Entry(candidate: candidate, action: .keep, reasons: [.unknown(unknown.reason)])
      }
      let entry = base.entry(for: candidate.id)!
      guard blocked, entry.action == .remove else { return entry }
      return RetentionPlan.Entry(candidate: candidate, action: .keep, reasons: [.unknownsCouldChangeTheRule])
    }
    return RetentionPlan(
      entries: entries, latestGood: latestGood.count == 1 ? latestGood.first! : nil, blocked: blocked)
  }

  /// The candidates of one world: each unknown replaced by the state it has there (absent
  /// when nil).
  func instantiate(_ world: [BackupID: RetentionCandidate?]) -> [RetentionCandidate] {
    backups.compactMap { candidate in
      guard let state = world[candidate.id] else { return candidate }
      return state
    }
  }

  /// Every combination of the unknowns' possible states; nil when there are too many.
  static func worlds(_ uncertain: [RetentionCandidate]) -> [[BackupID: RetentionCandidate?]]? {
    var worlds: [[BackupID: RetentionCandidate?]] = [[:]]
    for candidate in uncertain {
      let options = options(candidate)
      guard worlds.count * options.count <= maxWorlds else { return nil }
      worlds = worlds.flatMap { world in
        options.map { option in
          var next = world
          next[candidate.id] = .some(option)
          return next
        }
      }
    }
    return worlds
  }

  /// The states an unknown backup may really be in, the least kept first (nil: absent).
  static func options(_ candidate: RetentionCandidate) -> [RetentionCandidate?] {
    let unverified = RetentionCandidate(id: candidate.id, complete: true, verified: false)
    let verified = RetentionCandidate(id: candidate.id, complete: true, verified: true)
    switch candidate.unknown {
    case .manifest?: return [nil, unverified, verified]
    case .verification?, nil: return [unverified, verified]
    }
  }
}
