import ArgumentParser
import DRCore

/// The root command: lists the subcommands; every subcommand lives in Commands/.
struct DR: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dr",
    abstract: "PostgreSQL backups to S3, proven by test restores, with a one-command failover.",
    discussion: """
      Policies are read from policies/NAME.yaml (or $DR_POLICY_DIR, or /etc/dr/policies);
      see examples/policy.yaml for every key.

      Exit codes: 0 success, 1 the operation failed, 2 bad usage or an invalid policy,
      3 a verification ran and the backup failed it, 130/143 interrupted.
      """,
    version: DR.versionText,
    subcommands: [
      Backup.self, List.self, Show.self, Verify.self, Report.self, Restore.self, Plan.self, Drill.self, Down.self,
      Prune.self,
      Check.self, Copy.self, Worker.self, Key.self, S3Command.self,
    ]
  )

  @OptionGroup var global: GlobalOptions

  /// `dr --version`: the version and the git commit it was built from ("unknown" for a
  /// build without .git).
  static var versionText: String { "\(DRVersion.current) (commit \(BuildRevision.commit))" }
}
