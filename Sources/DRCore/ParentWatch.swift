import Foundation

/// Ends a `dr` started by `dr worker` when the worker is gone: a job whose worker was
/// killed must not run on unseen (a backup left running would hold the policy's lease
/// while another worker takes the job over). The worker names itself in `DR_PARENT_PID`;
/// once this process's parent is another (the worker died and the process was adopted),
/// it sends itself SIGTERM, which `SignalTrap` turns into the usual clean stop: uploads
/// aborted, children stopped, exit 143.
public enum ParentWatch {
  public static let variable = "DR_PARENT_PID"

  /// Starts watching when `environment` names a parent; checks once a second.
  public static func start(environment: [String: String]) {
    guard let text = environment[variable], let expected = pid_t(text), expected > 1 else { return }
    let thread = Thread {
      while getppid() == expected { Thread.sleep(forTimeInterval: 1) }
      kill(getpid(), SIGTERM)
    }
    thread.name = "dr-parent-watch"
    thread.start()
  }
}
