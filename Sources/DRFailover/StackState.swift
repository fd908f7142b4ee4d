import DRBackup
import DRCore
import Foundation

/// What a local failover has started, in `state.json` of its directory, so a run that
/// stopped midway resumes (or `dr down` stops everything) instead of tripping over it.
struct StackState: Codable, Equatable {
  var environment: String
  var backup: String?
  /// The backup restored into the cluster, once the restore committed.
  var restored: String?
  /// When that restore committed (nil: restored by an older dr, or found restored by its
  /// marker after a run that stopped before saving its state).
  var restoredAt: Date?
  /// Component name → pid of the processes started (not PostgreSQL: pg_ctl knows it).
  var pids: [String: Int32] = [:]
  /// Component name → its process's start time (clock ticks since boot, `/proc/PID/stat`),
  /// so that a pid the system has since given to another process is never signalled. A
  /// state written by an older dr has none.
  var startTimes: [String: UInt64] = [:]
  /// Component name → port, as used (a drill picks free ports).
  var ports: [String: Int] = [:]

  init(environment: String) {
    self.environment = environment
  }

  /// Every key but `environment` may be missing (states of older drs).
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    environment = try container.decode(String.self, forKey: .environment)
    backup = try container.decodeIfPresent(String.self, forKey: .backup)
    restored = try container.decodeIfPresent(String.self, forKey: .restored)
    restoredAt = try container.decodeIfPresent(Date.self, forKey: .restoredAt)
    pids = try container.decodeIfPresent([String: Int32].self, forKey: .pids) ?? [:]
    startTimes = try container.decodeIfPresent([String: UInt64].self, forKey: .startTimes) ?? [:]
    ports = try container.decodeIfPresent([String: Int].self, forKey: .ports) ?? [:]
  }

  static func load(_ directory: String) -> StackState? {
    guard let data = FileManager.default.contents(atPath: "\(directory)/state.json") else { return nil }
    return try? BucketJSON.decoder.decode(StackState.self, from: data)
  }

  func save(_ directory: String) throws {
    let data = try BucketJSON.encoder.encode(self)
    let temporary = "\(directory)/state.json.tmp"
    try data.write(to: URL(fileURLWithPath: temporary))
    guard rename(temporary, "\(directory)/state.json") == 0 else {
      throw FailoverError(.driver, "cannot write \(directory)/state.json: \(String(cString: strerror(errno)))")
    }
  }
}
