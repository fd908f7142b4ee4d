import DRPolicy
import DRPostgres

extension JujuCommands {
  /// Every user table's exact row count (`schema|table|rows` with `psql -At`), counted the
  /// way the manifest counts them (ONLY: a table without its inheritance children). No
  /// `"`, `$`, backslash or `!`: it survives both the local and the remote shell quoting.
  public static let rowCountQuery =
    "SELECT n.nspname, c.relname, (xpath('/row/c/text()', query_to_xml(format("
    + "'SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1] "
    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    + "WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND n.nspname <> 'information_schema' "
    + "AND left(n.nspname, 3) <> 'pg_' ORDER BY 1, 2"

  /// `juju deploy` of the charm named `application`, a relation to each of `relations`,
  /// then a wait until the application is active.
  func deploy(_ application: String, extra: [String] = [], relations: [String]) -> [JujuInvocation] {
    var result = [JujuInvocation(["deploy", "-m", model, application] + extra, role: .create)]
    for other in relations {
      result.append(JujuInvocation(["relate", "-m", model, application, other], role: .create))
    }
    result.append(wait(application))
    return result
  }

  func wait(_ application: String) -> JujuInvocation {
    JujuInvocation([
      "wait-for", "application", "-m", model, application, #"--query=status=="active""#,
      "--timeout=\(Self.waitTimeout)",
    ])
  }

  /// A command on an application's leader unit. ssh joins the words with spaces for the
  /// remote shell, so each is quoted for it.
  func ssh(_ application: String, _ remote: [String], role: JujuInvocation.Role = .action) -> JujuInvocation {
    JujuInvocation(["ssh", "-m", model, "\(application)/leader", "--"] + remote.map(JujuShell.quote), role: role)
  }

  /// Probe the database (the driver applies `RestoreRule` to the answer before anything
  /// else), copy the dump to the PostgreSQL unit (after removing one a failed run left),
  /// hand it to postgres, create the database when it is absent, pg_restore it in one
  /// transaction without owners or privileges (the backup's roles are not there), count
  /// the rows, mark the database as dr's restore of the backup, remove the copy. Nothing
  /// drops the database: one that holds anything else stops the step.
  func restore() -> [JujuInvocation] {
    guard let database else { return [] }
    let leader = "postgresql"
    let asPostgres = ["sudo", "-u", "postgres"]
    let psql = asPostgres + ["psql", "-X", "-At", "-d", database, "-c"]
    let marker = DatabaseContents.marker(backup ?? "the backup")
    return [
      ssh(leader, psql + [DatabaseContents.probeQuery], role: .probe),
      ssh(leader, ["sudo", "rm", "-f", Self.remoteDump]),
      JujuInvocation(["scp", "-m", model, dumpFile, "\(leader)/leader:\(Self.remoteDump)"]),
      ssh(leader, ["sudo", "chown", "postgres", Self.remoteDump]),
      ssh(leader, asPostgres + ["createdb", database], role: .createDatabase),
      ssh(
        leader,
        asPostgres + [
          "pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "-d", database,
          Self.remoteDump,
        ]),
      ssh(leader, psql + [Self.rowCountQuery], role: .rowCounts),
      ssh(
        leader, psql + ["COMMENT ON DATABASE \(SQL.identifier(database)) IS \(SQL.literal(marker))"], role: .mark),
      ssh(leader, ["sudo", "rm", "-f", Self.remoteDump]),
    ]
  }

  /// A request through the front, from its own unit, to the first app's health path.
  func endToEnd(_ step: PlanStep) -> [JujuInvocation] {
    guard let front = step.component, let port = step.port else { return [] }
    let path = stack.components.first { $0.kind == .app }?.health ?? "/"
    return [ssh(front, ["curl", "-sf", "http://localhost:\(port)\(path)"])]
  }
}
