import DRCore
import Foundation

/// Who runs a cluster: this process's user, or an unprivileged one when dr is root
/// (PostgreSQL refuses to run as root).
extension LocalCluster {
  /// The OS user a cluster runs as when dr is root: `postgres`, else `nobody`.
  public static func unprivilegedUser() throws -> String {
    for name in ["postgres", "nobody"] where getpwnam(name) != nil { return name }
    throw PostgresError(
      .toolMissing, "dr runs as root and there is no postgres or nobody user to run a PostgreSQL cluster as")
  }

  /// Who runs a cluster started by this process: nil when not root (this process's user).
  public static func serverUser() throws -> String? {
    geteuid() == 0 ? try unprivilegedUser() : nil
  }

  /// Gives `path` to `user` (when given): the server's OS user must own its directory.
  public static func handOver(_ path: String, to user: String?) throws {
    guard let user else { return }
    let owner = try account(user)
    guard chown(path, owner.uid, owner.gid) == 0 else {
      throw PostgresError(.toolFailed, "cannot give \(path) to \(user): \(String(cString: strerror(errno)))")
    }
  }

  static func account(_ name: String) throws -> (uid: uid_t, gid: gid_t) {
    guard let entry = getpwnam(name) else { throw PostgresError(.toolMissing, "there is no OS user \(name)") }
    return (entry.pointee.pw_uid, entry.pointee.pw_gid)
  }
}
