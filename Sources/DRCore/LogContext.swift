import Logging
import Synchronization

/// What every JSON log line of this process says it is about: the policy (once it is
/// loaded) and the backup being made, verified or restored (once it is known). A `dr`
/// process works for one policy, so this is process-wide: lines logged by any library
/// (S3 retries, leases, child processes) carry it without being handed it. The worker,
/// which serves several policies, leaves `policy` unset and names it per line.
public enum LogContext {
  private static let values = Mutex<Logger.Metadata>([:])

  public static var policy: String? {
    get { string("policy") }
    set { set("policy", newValue) }
  }

  public static var backupID: String? {
    get { string("backup_id") }
    set { set("backup_id", newValue) }
  }

  /// The context's fields, for a log line.
  public static var metadata: Logger.Metadata { values.withLock { $0 } }

  private static func string(_ key: String) -> String? {
    values.withLock { $0[key] }.map { "\($0)" }
  }

  private static func set(_ key: String, _ value: String?) {
    values.withLock { $0[key] = value.map { .string($0) } }
  }
}
