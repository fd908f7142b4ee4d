import Foundation

/// A directory for `DR_PG_BINDIR` holding a `pg_dump` and a `pg_dumpall` that only say they
/// are `version`: an installation older than the test server, as a host with the wrong
/// client package has.
public enum FakePGDump {
  public static func directory(version: String) throws -> String {
    let directory = TemporaryDirectory.unique("dr-fake-pg\(version.split(separator: ".").first ?? "")")
    for program in ["pg_dump", "pg_dumpall"] {
      try "#!/bin/sh\necho '\(program) (PostgreSQL) \(version)'\n".write(
        toFile: "\(directory)/\(program)", atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(directory)/\(program)")
    }
    return directory
  }
}
