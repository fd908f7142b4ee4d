import DRCore

/// The rule of a failover's restore (issue 15), the same for every driver: it restores
/// into its database only when the database is absent or empty, skips the restore when the
/// database holds this very backup, and never drops a database that holds anything else or
/// whose contents it cannot read: it stops, saying what is there and the way out.
public struct RestoreRule: Sendable, Equatable {
  public enum Decision: Sendable, Equatable {
    /// Absent: create it, then restore.
    case create
    /// Empty (an interrupted restore leaves it so): restore into it as it is.
    case fill
    /// It holds this backup: nothing to do.
    case alreadyRestored
    /// It holds something else: stop.
    case refuse
  }

  /// Where the database lives, for the way out.
  public enum Platform: Sendable, Equatable {
    case local
    case juju(model: String)
  }

  public var database: String
  /// The backup the failover restores.
  public var backup: String
  /// The environment, for the commands of the way out.
  public var environment: String
  public var platform: Platform

  /// `stateRestored`: the backup the local state file says was restored. It counts only
  /// for a database without a marker (restored by a dr older than the marker).
  public func decide(_ contents: DatabaseContents, stateRestored: String? = nil) -> Decision {
    guard case .present(let objects, _) = contents else { return .create }
    let marked = contents.markedBackup
    if marked == backup || (marked == nil && stateRestored == backup && objects > 0) { return .alreadyRestored }
    return objects == 0 ? .fill : .refuse
  }

  /// The step's failure when the database holds something else.
  public func refusal(_ contents: DatabaseContents) -> FailoverError {
    FailoverError(
      .step("restore"),
      "database \(database) already holds \(contents.summary), not backup \(backup): dr never drops a database "
        + "that holds data, so nothing was dropped or restored. " + wayOut(marked: contents.markedBackup))
  }

  /// The step's failure when the probe failed or answered what dr cannot read.
  public func uncertainty(_ reason: String) -> FailoverError {
    FailoverError(
      .step("restore"),
      "cannot tell what database \(database) holds (\(reason)): dr restores only into a database it knows to be "
        + "absent, empty or holding backup \(backup), so nothing was dropped or restored. Once the cause is "
        + "fixed, run again; or, to start over: " + startOver)
  }

  func wayOut(marked: String?) -> String {
    let resume =
      marked.map { "To resume the failover of \($0): dr restore --env \(environment) --backup \($0). " } ?? ""
    return resume + "To restore \(backup) instead: " + startOver
  }

  var startOver: String {
    switch platform {
    case .local:
      return "dr down --env \(environment) --purge (this deletes the failover's cluster and everything written to "
        + "it), then run again."
    case .juju(let model):
      return "destroy the model (dr down --env \(environment) --purge destroys \(model) and its storage) or empty "
        + "database \(database) by hand on postgresql/leader, then run again."
    }
  }
}
