import DRBackup

/// What the connecting role may do on the target server, as read there.
public struct TargetAccess: Sendable, Equatable {
  public var user: String
  public var superuser: Bool
  /// `CREATEDB` (or a superuser).
  public var createDatabase: Bool
  /// The target database's name.
  public var database: String
  /// The target database, when it exists.
  public var existing: Existing?
  /// The source database's owner (the manifest's) on this server.
  public var sourceOwner: SourceOwner

  public struct Existing: Sendable, Equatable {
    public var owner: String
    /// The connecting role is a member of the owner (so it may rename the database).
    public var member: Bool
    /// User objects in it; nil when it could not be counted.
    public var objects: Int?
  }

  public enum SourceOwner: Sendable, Equatable {
    /// The manifest names none (an older dr's).
    case unknown
    case missing(String)
    case notMember(String)
    case member(String)
  }
}

extension TargetFindings {
  /// Whether the restore may make its database beside the target and swap it in: it
  /// creates `dr_restore_…` (CREATEDB), and renames an existing target aside (its owner or
  /// a superuser); a non-empty target is replaced only with `--clean`.
  public static func database(_ access: TargetAccess, replace: Bool) -> TargetFinding {
    let name = access.database
    guard access.superuser || access.createDatabase else {
      return TargetFinding(
        "database", .fail,
        "the restore goes into a new database beside \(name) that is renamed into place once complete, and "
          + "\(access.user) may not create databases",
        fix: "ALTER ROLE \(access.user) CREATEDB (as a superuser), or connect as a role that may create databases")
    }
    guard let existing = access.existing else {
      return TargetFinding(
        "database", .ok, "\(name) does not exist: it is created (restored beside as dr_restore_…, then renamed)")
    }
    if !access.superuser, !existing.member {
      return TargetFinding(
        "database", .fail,
        "\(name) exists and belongs to \(existing.owner): \(access.user) cannot rename it aside to put the restored "
          + "copy in its place",
        fix: "connect as \(existing.owner) or a superuser, or GRANT \(existing.owner) TO \(access.user)")
    }
    guard let objects = existing.objects else {
      return TargetFinding(
        "database", .warn, "\(name) exists and its objects could not be counted (no CONNECT right?)",
        fix: "GRANT CONNECT ON DATABASE \(name) TO \(access.user)")
    }
    if objects == 0 {
      return TargetFinding("database", .ok, "\(name) exists and is empty: the restored copy takes its place")
    }
    guard replace else {
      return TargetFinding(
        "database", .fail, "\(name) holds \(objects) objects: the restore refuses to replace it without --clean",
        fix: "add --clean (its data stays until the new copy is complete), or restore into a new database")
    }
    return TargetFinding(
      "database", .ok,
      "\(name) holds \(objects) objects: replaced (--clean) only once the restored copy is complete and counted")
  }

  /// Whether the backup's roles and ownership can be restored: globals are replayed only by
  /// a superuser; otherwise objects keep their owners only when the target has them and the
  /// connecting role may act as them, or `--no-owner` gives everything to that role.
  public static func roles(_ access: TargetAccess, _ manifest: BackupManifest, noOwner: Bool) -> TargetFinding {
    let user = access.user
    if noOwner {
      return TargetFinding(
        "roles", .ok, "--no-owner: objects belong to \(user); the backup's roles and privileges are not restored")
    }
    if access.superuser {
      return TargetFinding(
        "roles", .ok,
        manifest.globals.included
          ? "\(user) is a superuser: the backup's roles are created from its globals and objects keep their owners"
            + (manifest.globals.rolePasswords ? "" : " (the backup has no role passwords: set them afterwards)")
          : "\(user) is a superuser: objects keep their owners (the backup has no globals: its roles must exist)")
    }
    let noGlobals =
      "\(user) is not a superuser: the backup's roles are not created (dr replays globals only as a superuser)"
    let fix = "add --no-owner (objects then belong to \(user)), or restore as a superuser"
    switch access.sourceOwner {
    case .unknown:
      return TargetFinding(
        "roles", .warn, "\(noGlobals); objects keep their owners, which the target must have", fix: fix)
    case .missing(let owner):
      return TargetFinding(
        "roles", .fail, "\(noGlobals), and the source's objects belong to \(owner), a role this server lacks",
        fix: "\(fix), or CREATE ROLE \(owner) first")
    case .notMember(let owner):
      return TargetFinding(
        "roles", .fail, "\(noGlobals), and \(user) may not give objects to \(owner), the source's owner",
        fix: "\(fix), or GRANT \(owner) TO \(user)")
    case .member(let owner):
      return TargetFinding(
        "roles", manifest.globals.included ? .warn : .ok,
        "\(noGlobals); objects of \(owner) keep their owner; an object of any other role the target lacks makes the "
          + "restore fail",
        fix: manifest.globals.included ? fix : nil)
    }
  }
}
