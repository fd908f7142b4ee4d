/// The command lines dr runs for a backup, built as values so they can be tested and
/// shown in plans. The connection string never holds the password: it goes to the child
/// in PGPASSWORD, so it does not appear in `ps`.
public struct PGDumpCommand: Sendable, Equatable {
  public let executable: String
  public let arguments: [String]
  public let environment: [String: String]

  /// `pg_dump -Fc -Z0 --snapshot=S`: the custom format, uncompressed (dr compresses it).
  public static func dump(
    tool: PGTool, connection: String, password: String?, snapshot: String?, baseEnvironment: [String: String]
  ) -> PGDumpCommand {
    var arguments = ["--format=custom", "--compress=0", "--no-password", "--dbname=\(connection)"]
    if let snapshot { arguments.append("--snapshot=\(snapshot)") }
    return PGDumpCommand(
      executable: tool.path, arguments: arguments, environment: environment(baseEnvironment, password: password))
  }

  /// `pg_dumpall --globals-only`: roles and tablespaces. Without superuser rights the
  /// role passwords cannot be read, so `--no-role-passwords` is added.
  public static func globals(
    tool: PGTool, connection: String, password: String?, withRolePasswords: Bool, baseEnvironment: [String: String]
  ) -> PGDumpCommand {
    var arguments = ["--globals-only", "--no-password", "--dbname=\(connection)"]
    if !withRolePasswords { arguments.append("--no-role-passwords") }
    return PGDumpCommand(
      executable: tool.path, arguments: arguments, environment: environment(baseEnvironment, password: password))
  }

  static func environment(_ base: [String: String], password: String?) -> [String: String] {
    var environment = base
    if let password { environment["PGPASSWORD"] = password }
    return environment
  }
}
