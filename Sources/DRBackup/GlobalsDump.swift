import DRPostgres
import Logging

/// Takes the globals script until it is consistent: pg_dumpall has no snapshot across its
/// queries, so a role made while it runs can be granted in the script without being created.
enum GlobalsDump {
  static let attempts = 3

  /// Runs `dump` until its script creates every role it grants, at most `attempts` times;
  /// the last script is kept (with a warning) if roles never stopped changing.
  static func consistent(logger: Logger, dump: () async throws -> String) async throws -> String {
    var script = try await dump()
    for attempt in 2...attempts {
      let missing = GlobalsScript(script).undefinedRoles
      if missing.isEmpty { return script }
      logger.notice(
        "roles changed while pg_dumpall ran (\(names(missing)) granted but not created); taking the globals again (attempt \(attempt) of \(attempts))"
      )
      script = try await dump()
    }
    let missing = GlobalsScript(script).undefinedRoles
    if !missing.isEmpty {
      logger.warning(
        "the globals grant roles they do not create (\(names(missing))): roles kept changing while pg_dumpall ran \(attempts) times; restoring those grants will fail"
      )
    }
    return script
  }

  static func names(_ roles: Set<String>) -> String {
    roles.sorted().joined(separator: ", ")
  }
}
