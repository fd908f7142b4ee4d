import DRCore
import Foundation
import Logging

/// Removes what a killed dr left behind. A dr stopped by a signal removes its scratch
/// cluster and temporary dump itself; one killed with `kill -9` (or by the OOM killer, or a
/// power cut) cannot, and its scratch server would run on, holding memory and disk. Every
/// scratch cluster directory and temporary dump is named after the process that made it
/// (`ProcessIdentity`), so each `dr verify` and `dr restore` first removes those whose
/// maker no longer runs, and leaves those of a dr that still does.
public struct ScratchReaper: Sendable {
  /// `dr-scratch-PID.START-XXXXXX`: a scratch cluster's directory.
  public static let clusterPrefix = "dr-scratch-"
  /// `dr-restore-PID.START-ID-N.pgc`: a dump downloaded for `pg_restore --jobs`.
  public static let dumpPrefix = "dr-restore-"
  /// `/tmp/dr-sock-PID.START-XXXXXX`: a scratch server's socket directory, when the
  /// cluster's own directory's path is too long for a socket.
  public static let socketPrefix = "dr-sock-"

  public let logger: Logger

  public init(logger: Logger) {
    self.logger = logger
  }

  /// Removes the abandoned scratch clusters and dumps in `directory`; returns their paths.
  /// Never throws: a leftover it cannot remove is logged, and the command goes on.
  @discardableResult
  public func reap(temporaryDirectory directory: String) async -> [String] {
    var paths = Self.entries(of: directory)
    // Socket directories are under /tmp whatever TMPDIR is, after the clusters they serve.
    if Self.standardized(directory) != Self.standardized(Self.socketParent) {
      paths += Self.entries(of: Self.socketParent).filter {
        ($0 as NSString).lastPathComponent.hasPrefix(Self.socketPrefix)
      }
    }
    var removed: [String] = []
    for path in paths {
      let name = (path as NSString).lastPathComponent
      guard let owner = Self.owner(of: name), !owner.isRunning else { continue }
      if name.hasPrefix(Self.clusterPrefix) { await stopServer(in: path) }
      do {
        try await runBlocking { try FileManager.default.removeItem(atPath: path) }
        logger.notice("removed \(path), left by dr (pid \(owner.pid)) which no longer runs")
        removed.append(path)
      } catch {
        logger.warning("cannot remove \(path), left by a dr that no longer runs: \(error)")
      }
    }
    return removed
  }

  /// Where socket directories go: short, so that any socket path fits.
  public static let socketParent = "/tmp"

  /// The paths of `directory`'s entries, sorted by name (clusters before sockets).
  static func entries(of directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.sorted().map { (directory as NSString).appendingPathComponent($0) }
  }

  static func standardized(_ path: String) -> String {
    (path as NSString).resolvingSymlinksInPath
  }

  /// The process that made `name`, if it is one of dr's scratch clusters or dumps.
  static func owner(of name: String) -> ProcessIdentity? {
    for prefix in [clusterPrefix, dumpPrefix, socketPrefix] where name.hasPrefix(prefix) {
      let rest = name.dropFirst(prefix.count)
      guard let dash = rest.firstIndex(of: "-") else { return nil }
      return ProcessIdentity(rest[..<dash])
    }
    return nil
  }

  /// Stops the scratch server still running from `directory`, if any: the pid in its
  /// `postmaster.pid`, and only if that process works in this directory (a pid reused
  /// since by another process is left alone). SIGQUIT is PostgreSQL's immediate shutdown;
  /// the data is thrown away anyway. SIGKILL after 10 seconds.
  func stopServer(in directory: String) async {
    let data = (directory as NSString).appendingPathComponent("data")
    let pidFile = (try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)) ?? ""
    guard let pid = Int32(pidFile.split(separator: "\n").first ?? ""), pid > 0,
      let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
      cwd == (data as NSString).resolvingSymlinksInPath
    else { return }
    logger.notice("stopping the scratch server (pid \(pid)) of a dr that no longer runs, in \(directory)")
    await Daemon.stop(pid, signal: SIGQUIT)
  }
}
