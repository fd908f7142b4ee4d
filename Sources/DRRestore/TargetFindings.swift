import DRBackup
import DRPostgres

/// The findings about a restore target, as values from what was read (the target server's
/// answers, or the programs a local failover will start): the same rules for `dr restore
/// --dry-run` and `dr check --env`.
public enum TargetFindings {
  /// The dump's major against the server's: part A's rule and words (an older server is
  /// refused unless `--allow-older-server`).
  public static func server(
    _ manifest: BackupManifest, serverMajor: Int, serverVersion: String, hosts: String, allowOlderServer: Bool = false
  ) -> TargetFinding {
    let dump = "the dump is PostgreSQL \(manifest.dumpMajor) (pg_dump \(manifest.pgDump.version))"
    guard
      let older = TargetRestore.olderServer(
        manifest, serverMajor: serverMajor, serverVersion: serverVersion, hosts: hosts)
    else {
      let same = serverMajor == manifest.dumpMajor ? "its own major" : "a newer major"
      return TargetFinding("server", .ok, "\(dump); the target \(hosts) runs PostgreSQL \(serverVersion), \(same)")
    }
    if allowOlderServer { return TargetFinding("server", .warn, older.override, fix: older.wayOut) }
    return TargetFinding("server", .fail, "\(older.versions): \(older.why); the restore is refused", fix: older.wayOut)
  }

  /// One finding per extension the dump needs: offered by the target (and creatable by the
  /// connecting role: a superuser, or any role for a trusted one), or not. `superuser`: the
  /// restore's role is one. `place`: where the extensions were looked for, for the words.
  public static func extensions(
    _ needed: [InstalledExtension]?, available: AvailableExtensions, serverMajor: Int, superuser: Bool,
    place: String
  ) -> [TargetFinding] {
    guard let needed else {
      return [
        TargetFinding(
          "extensions", .warn,
          "unknown: the backup was made by a dr that did not record its extensions; pg_restore names a missing one "
            + "when it meets it (the target is left as it was)",
          fix: "a backup made by this dr records them")
      ]
    }
    guard !needed.isEmpty else { return [TargetFinding("extensions", .ok, "the dump needs no extension")] }
    return needed.map {
      extensionFinding($0, offer: available.offers[$0.name], major: serverMajor, superuser: superuser, place: place)
    }
  }

  static func extensionFinding(
    _ needed: InstalledExtension, offer: AvailableExtensions.Offer?, major: Int, superuser: Bool, place: String
  ) -> TargetFinding {
    let check = "extension:\(needed.name)"
    let source = "\(needed.name) \(needed.version) (in schema \(needed.schema))"
    guard let offer else {
      return TargetFinding(
        check, .fail,
        "the dump needs \(source), which \(place) does not offer: pg_restore would stop at its CREATE EXTENSION",
        fix: ExtensionPackages.fix(needed.name, major: major))
    }
    if offer.needsSuperuser, !superuser {
      return TargetFinding(
        check, .fail,
        "\(place) offers \(needed.name) \(offer.defaultVersion), but only a superuser may create it (it is not "
          + "trusted), and the connecting role is not one",
        fix: "restore as a superuser (or the service's administrator role), or drop \(needed.name) from the source")
    }
    if compareVersions(offer.defaultVersion, needed.version) < 0 {
      return TargetFinding(
        check, .warn,
        "\(place) creates \(needed.name) \(offer.defaultVersion), older than the source's \(needed.version): "
          + "what the newer version added may be missing",
        fix: "install \(needed.name) \(needed.version) or newer on the target")
    }
    return TargetFinding(check, .ok, "the dump needs \(source); \(place) offers \(offer.defaultVersion)")
  }

  /// Compares dotted versions by their numbers (`1.10` after `1.9`); words compare as text.
  static func compareVersions(_ left: String, _ right: String) -> Int {
    let a = left.split(whereSeparator: { !$0.isNumber && !$0.isLetter }).map(String.init)
    let b = right.split(whereSeparator: { !$0.isNumber && !$0.isLetter }).map(String.init)
    for (x, y) in zip(a, b) where x != y {
      if let i = Int(x), let j = Int(y) { return i < j ? -1 : 1 }
      return x < y ? -1 : 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
  }
}
