import Foundation

/// Where a program is: the one lookup of a name on a search path (memcached, haproxy, the
/// app's program, juju; PostgreSQL's programs, which have versions to weigh, go through
/// `PGToolLocator`).
public enum ProgramSearch {
  /// The system directories searched after a search path (a PATH without them is common in
  /// services and cron).
  public static let systemDirectories = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

  /// `name` itself when it names a path (holds a `/`), else the first executable file
  /// called `name` in `path` (a PATH value: directories separated by `:`; relative ones are
  /// skipped), then, with `systemDirectories`, in those.
  public static func find(_ name: String, path: String?, systemDirectories withSystem: Bool = true) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let directories =
      (path ?? "").split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
      + (withSystem ? systemDirectories : [])
    return directories.lazy.map { "\($0)/\(name)" }.first { candidate in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && !isDirectory.boolValue
        && FileManager.default.isExecutableFile(atPath: candidate)
    }
  }
}
