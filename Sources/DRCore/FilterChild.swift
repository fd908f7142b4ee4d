import CDRSystem
import Foundation

/// The spawned filter until it is reaped: killing reaches its whole process group (what a
/// script starts in turn goes too), and only before the reaping, while its pid is ours.
final class FilterChild {
  let pid: pid_t
  private(set) var termination: ChildProcess.Termination?

  init(pid: pid_t) { self.pid = pid }

  /// SIGKILL to the group, then waits for the child; nothing once it is reaped.
  func killAndReap() {
    guard termination == nil else { return }
    if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    termination = Self.decode(status)
  }

  /// Waits for the child to exit after it closed its output, checking `stop` at least
  /// every 50 ms. Its pidfd wakes the wait as it exits: the child closes its output a
  /// moment before it is gone, and a timed look (5 ms, before) left the worker's core idle
  /// that long once per chunk. Without a pidfd, waitpid is tried every millisecond.
  func reap(stop: StopFlag) throws -> ChildProcess.Termination {
    let exits = cdr_pidfd_open(pid)
    defer { if exits >= 0 { close(exits) } }
    while termination == nil {
      try stop.check()
      var status: Int32 = 0
      let done = waitpid(pid, &status, WNOHANG)
      if done == pid {
        termination = Self.decode(status)
      } else if done < 0, errno != EINTR {
        throw SystemError(failed: "waitpid")
      } else if exits >= 0 {
        var exited = pollfd(fd: exits, events: Int16(POLLIN), revents: 0)
        _ = poll(&exited, 1, FilterSession.pollMilliseconds)
      } else {
        _ = poll(nil, 0, 1)
      }
    }
    return termination!
  }

  static func decode(_ status: Int32) -> ChildProcess.Termination {
    (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
  }
}
