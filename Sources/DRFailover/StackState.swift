import DRBackup
import Foundation

/// What a local failover has started, in `state.json` of its directory, so a run that
/// stopped midway resumes (or `dr down` stops everything) instead of tripping over it.
struct StackState: Codable, Equatable {
  var environment: String
  var backup: String?
  /// The backup restored into the cluster, once the restore committed.
  var restored: String?
  /// Component name → pid of the processes started (not PostgreSQL: pg_ctl knows it).
  var pids: [String: Int32] = [:]
  /// Component name → port, as used (a drill picks free ports).
  var ports: [String: Int] = [:]

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
