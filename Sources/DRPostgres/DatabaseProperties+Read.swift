import DRCore
import Foundation

extension DatabaseProperties {
  /// The properties of `database` on the server of `connection` (connected to any of its
  /// databases: everything read here is in the shared catalogs), in the connection's
  /// transaction snapshot when it has one. nil when there is no such database.
  public static func read(database: String, on connection: PGConnection) async throws -> DatabaseProperties? {
    let version = connection.serverVersionNumber
    let rows = try await connection.query(mainQuery(database, serverVersion: version))
    guard let row = rows.first else { return nil }
    guard row.count == 9, let owner = row[0], let encoding = row[1], let collate = row[2], let ctype = row[3],
      let limit = row[6].flatMap({ Int($0) })
    else {
      throw PostgresError(.query, "unexpected answer reading the properties of database \(database)")
    }
    var properties = DatabaseProperties(owner: owner, encoding: encoding, collate: collate, ctype: ctype)
    properties.localeProvider = row[4].map(providerName)
    properties.icuLocale = row[5].flatMap { $0.isEmpty ? nil : $0 }
    properties.connectionLimit = limit
    properties.comment = row[8]
    if row[7] == "f" { properties.acl = try await grants(database, on: connection) }
    try await readSettings(database, on: connection, into: &properties)
    return properties
  }

  /// Owner, encoding, collate, ctype, provider, ICU locale, connection limit, whether the
  /// ACL is the default one, comment.
  static func mainQuery(_ database: String, serverVersion: Int) -> String {
    let provider = serverVersion >= 150_000 ? "d.datlocprovider::text" : "NULL::text"
    let locale =
      serverVersion >= 170_000 ? "d.datlocale" : serverVersion >= 150_000 ? "d.daticulocale" : "NULL::text"
    return """
      SELECT pg_catalog.pg_get_userbyid(d.datdba), pg_catalog.pg_encoding_to_char(d.encoding), d.datcollate,
        d.datctype, \(provider), \(locale), d.datconnlimit::text, d.datacl IS NULL,
        pg_catalog.shobj_description(d.oid, 'pg_database')
      FROM pg_catalog.pg_database d WHERE d.datname = \(SQL.literal(database))
      """
  }

  static func providerName(_ code: String) -> String {
    switch code {
    case "c": "libc"
    case "i": "icu"
    case "b": "builtin"
    default: code
    }
  }

  /// The ACL's items, in their order (a grant by a role other than the owner needs the
  /// grant option it was given by an earlier item).
  static func grants(_ database: String, on connection: PGConnection) async throws -> [Grant] {
    let rows = try await connection.query(
      """
      SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee) END,
        pg_catalog.pg_get_userbyid(a.grantor), a.privilege_type, a.is_grantable
      FROM pg_catalog.pg_database d,
        LATERAL pg_catalog.aclexplode(d.datacl) WITH ORDINALITY a(grantor, grantee, privilege_type, is_grantable, n)
      WHERE d.datname = \(SQL.literal(database)) ORDER BY a.n
      """)
    return try rows.map { row in
      guard row.count == 4, let grantor = row[1], let privilege = row[2] else {
        throw PostgresError(.query, "unexpected answer reading the privileges on database \(database)")
      }
      return Grant(grantee: row[0], grantor: grantor, privilege: privilege, grantable: row[3] == "t")
    }
  }

  /// The database's settings (role 0) and roles' settings in it, each in stored order.
  static func readSettings(_ database: String, on connection: PGConnection, into properties: inout DatabaseProperties)
    async throws
  {
    let rows = try await connection.query(
      """
      SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(s.setrole) END, c.setting
      FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase,
        LATERAL unnest(s.setconfig) WITH ORDINALITY c(setting, n)
      WHERE d.datname = \(SQL.literal(database))
      ORDER BY s.setrole <> 0, 1, c.n
      """)
    for row in rows {
      guard row.count == 2, let setting = row[1] else { continue }
      guard let role = row[0] else {
        properties.settings.append(setting)
        continue
      }
      if properties.roleSettings.last?.role == role {
        properties.roleSettings[properties.roleSettings.count - 1].settings.append(setting)
      } else {
        properties.roleSettings.append(RoleSettings(role: role, settings: [setting]))
      }
    }
  }
}
