/// What a database is besides its objects, which a restore without `--create` loses: its
/// owner, encoding and locale, connection limit, `ALTER DATABASE … SET` settings, roles'
/// settings in it (`ALTER ROLE … IN DATABASE … SET`), its privileges and its comment.
///
/// Read at backup time in the dump's snapshot (`read(database:on:)`), recorded in the
/// manifest, applied to the restored database under its new name (`apply`), and compared
/// with what the restored database holds in a verification (`differences`).
public struct DatabaseProperties: Sendable, Codable, Equatable {
  public var owner: String
  /// `UTF8`, `LATIN1`… (`pg_encoding_to_char`).
  public var encoding: String
  public var collate: String
  public var ctype: String
  /// `libc`, `icu` or `builtin` on PostgreSQL 15 and later; nil before.
  public var localeProvider: String? = nil
  /// The ICU (or builtin) locale when the provider is not libc.
  public var icuLocale: String? = nil
  /// -1: no limit.
  public var connectionLimit: Int = -1
  /// `ALTER DATABASE … SET`, as PostgreSQL stores them: `name=value`.
  public var settings: [String] = []
  /// `ALTER ROLE … IN DATABASE … SET`, by role.
  public var roleSettings: [RoleSettings] = []
  /// The privileges on the database; nil for the default ones (PUBLIC may connect and
  /// make temporary tables, the owner may do everything).
  public var acl: [Grant]? = nil
  public var comment: String? = nil

  public init(owner: String, encoding: String, collate: String, ctype: String) {
    self.owner = owner
    self.encoding = encoding
    self.collate = collate
    self.ctype = ctype
  }

  /// One role's settings in the database.
  public struct RoleSettings: Sendable, Codable, Equatable {
    public var role: String
    public var settings: [String]

    public init(role: String, settings: [String]) {
      self.role = role
      self.settings = settings
    }
  }

  /// One privilege on the database, as `aclexplode` gives it.
  public struct Grant: Sendable, Codable, Hashable {
    /// The role it is granted to; nil for PUBLIC.
    public var grantee: String?
    public var grantor: String
    /// `CONNECT`, `CREATE` or `TEMPORARY`.
    public var privilege: String
    /// Granted WITH GRANT OPTION.
    public var grantable: Bool

    public init(grantee: String?, grantor: String, privilege: String, grantable: Bool) {
      self.grantee = grantee
      self.grantor = grantor
      self.privilege = privilege
      self.grantable = grantable
    }

    /// `reader: CONNECT (granted by owner)`, `PUBLIC: TEMPORARY WITH GRANT OPTION (…)`.
    public var description: String {
      "\(grantee ?? "PUBLIC"): \(privilege)\(grantable ? " WITH GRANT OPTION" : "") (granted by \(grantor))"
    }
  }

  /// The roles these properties name (owner, roles with settings, grantees, grantors).
  public var roles: Set<String> {
    var names: Set<String> = [owner]
    names.formUnion(roleSettings.map(\.role))
    for grant in acl ?? [] {
      names.insert(grant.grantor)
      if let grantee = grant.grantee { names.insert(grantee) }
    }
    return names
  }

  /// The privileges in effect: `acl`, or the default ones of `owner` when it is nil.
  public var effectiveGrants: Set<Grant> {
    if let acl { return Set(acl) }
    let publicOnes = ["CONNECT", "TEMPORARY"].map {
      Grant(grantee: nil, grantor: owner, privilege: $0, grantable: false)
    }
    let owners = ["CONNECT", "CREATE", "TEMPORARY"].map {
      Grant(grantee: owner, grantor: owner, privilege: $0, grantable: false)
    }
    return Set(publicOnes + owners)
  }

  /// Encoding and locale as people read them: `UTF8, collate C, ctype C`.
  public var localeDescription: String {
    "\(encoding), collate \(collate), ctype \(ctype)"
      + (localeProvider.map { ", provider \($0)" } ?? "") + (icuLocale.map { ", locale \($0)" } ?? "")
  }
}
