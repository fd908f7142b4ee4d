import Foundation

/// A directory for `DR_PG_BINDIR` holding a `pg_dump` that only says it is `version`: an
/// installation older than the test server, as a host with the wrong client package has.
public enum FakePGDump {
  public static func directory(version: String) throws -> String {
    let directory = TemporaryDirectory.unique("dr-fake-pg\(version.split(separator: ".").first ?? "")")
    try "#!/bin/sh\necho 'pg_dump (PostgreSQL) \(version)'\n".write(
      toFile: "\(directory)/pg_dump", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(directory)/pg_dump")
    return directory
  }
}
