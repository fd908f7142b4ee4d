import DRBackup
import DRCore
import DRPolicy

extension TargetRestore {
  /// A dump restores into a server of its own major version or a newer one: its archive
  /// needs a pg_restore at least as new as the pg_dump that wrote it, and that pg_restore
  /// sends settings and syntax an older server may reject (from 17 on, `SET
  /// transaction_timeout`). An older target is refused before anything changes; with
  /// `allowOlderServer` the restore is attempted, and the warning returned says it is
  /// unsupported (a failure leaves the target as it was, like any other).
  static func checkVersions(
    _ manifest: BackupManifest, server: TargetDatabase.State, target: PostgresURL, allowOlderServer: Bool
  ) throws -> [String] {
    guard
      let older = olderServer(
        manifest, serverMajor: server.serverMajor, serverVersion: server.serverVersion, hosts: target.hosts)
    else { return [] }
    guard allowOlderServer else {
      throw RestoreError(.olderServer, "\(older.versions): \(older.why). Nothing was changed. \(older.wayOut)")
    }
    return [older.override]
  }

  /// The words of the refusal when the server (of `serverMajor`, `serverVersion` as it
  /// shows it) is older than the dump's major; nil when it is not (or is unknown, 0).
  public static func olderServer(
    _ manifest: BackupManifest, serverMajor: Int, serverVersion: String, hosts: String
  ) -> OlderServer? {
    let dump = manifest.dumpMajor
    guard serverMajor > 0, serverMajor < dump else { return nil }
    let source = manifest.database.serverVersion.split(separator: " ").first.map(String.init) ?? ""
    let shown = serverVersion.split(separator: " ").first.map(String.init) ?? "\(serverMajor)"
    return OlderServer(
      versions: "backup \(manifest.id) is a dump of PostgreSQL \(dump) (server \(source), pg_dump "
        + "\(manifest.pgDump.version)) and the target \(hosts) runs PostgreSQL \(shown), an older major",
      why: "its restore needs pg_restore \(dump) or newer, which sends what PostgreSQL \(serverMajor) may reject"
        + (dump >= 17 && serverMajor < 17 ? " (SET transaction_timeout, new in 17)" : ""),
      wayOut: "Restore into a server of PostgreSQL \(dump) or newer, or add --allow-older-server to attempt it "
        + "anyway (unsupported)")
  }

  /// Why a server older than the dump is refused, and the way out.
  public struct OlderServer: Sendable {
    public let versions: String
    public let why: String
    public let wayOut: String

    /// The warning of a restore attempted with `--allow-older-server`.
    public var override: String {
      "\(versions): attempted because of --allow-older-server, which is unsupported: \(why)"
    }
  }
}

extension TargetRestore {
  /// The database of the backup to restore, as a backup of that database alone. A backup of
  /// several needs one named; a name the backup lacks is refused. Both before anything
  /// changes, with the backup's databases in the message.
  static func choose(_ wanted: String?, of manifest: BackupManifest) throws -> BackupManifest {
    let names = manifest.databaseNames
    let listed = names.map(\.escapingControlCharacters).joined(separator: ", ")
    guard let wanted else {
      guard manifest.hasSeveralDatabases else { return manifest }
      throw RestoreError(
        .whichDatabase,
        "backup \(manifest.id) holds \(names.count) databases (\(listed)): name the one to restore with --database "
          + "NAME. Nothing was changed")
    }
    guard let one = manifest.selecting(database: wanted) else {
      throw RestoreError(
        .whichDatabase,
        "backup \(manifest.id) has no database \(wanted.escapingControlCharacters) (it holds \(listed)). "
          + "Nothing was changed")
    }
    return one
  }
}
