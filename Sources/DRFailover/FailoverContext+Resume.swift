import DRBackup
import DRPolicy
import DRRestore
import Foundation

extension FailoverContext {
  /// What a rerun of a local failover restores. When the state in `directory` says a backup
  /// was restored and the run names none (or names that one), the failover resumes with it:
  /// its database holds that backup and whatever the app wrote since, and a newer backup
  /// would not be restored over it anyway. A backup the bucket no longer lists as complete
  /// cannot be resumed: the selection stays, with a warning. A drill (no directory) and a
  /// juju environment never resume from local state.
  func resumption(_ selection: BackupSelection, directory: String?, entries: [BackupEntry])
    -> (selection: BackupSelection, resumed: PlannedBackup.Resumption?, warnings: [String])
  {
    guard environment.driver == .local, let directory, let state = StackState.load(directory),
      let restored = state.restored.flatMap(BackupID.init)
    else { return (selection, nil, []) }
    let startOver = "dr down --env \(environment.name) --purge first (it deletes the failover's cluster) to start over"
    if case .id(let named) = selection, named != restored {
      return (
        selection, nil,
        [
          "the failover restored \(restored) already (state in \(directory)): the restore step will not restore "
            + "\(named) over its database; \(startOver)"
        ]
      )
    }
    guard entries.contains(where: { $0.id == restored && $0.complete }) else {
      return (
        selection, nil,
        [
          "the failover restored \(restored) (state in \(directory)), which the bucket no longer lists as complete: "
            + "it cannot be resumed, and the restore step will not restore another backup over it; \(startOver)"
        ]
      )
    }
    let latest = (try? BackupSelection.latest.forRestore(entries))?.0
    let newer = latest.flatMap { $0 > restored ? $0.rawValue : nil }
    return (
      .id(restored),
      PlannedBackup.Resumption(restoredAt: state.restoredAt, newer: newer, stateDirectory: directory), []
    )
  }
}
