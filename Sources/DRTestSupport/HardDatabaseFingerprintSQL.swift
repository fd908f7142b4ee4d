import DRPostgres

/// A query that returns facts of one aspect as rows of (name, value).
struct FingerprintQuery: Sendable {
  let aspect: DatabaseFingerprint.Aspect
  let sql: String

  func run(on connection: PGConnection) async throws -> [(String, String)] {
    try await connection.query(sql).compactMap { row in
      guard row.count == 2, let name = row[0] else { return nil }
      return (name, row[1] ?? "NULL")
    }
  }

  static var all: [FingerprintQuery] {
    FingerprintQuery.schema + FingerprintQuery.code + FingerprintQuery.ownership + FingerprintQuery.databaseProperties
  }
}

/// Pieces of the fingerprint's SQL.
enum FingerprintSQL {
  /// Output that does not depend on the database's or role's settings: names
  /// schema-qualified, times in UTC, floats and bytea in one format.
  static let sessionSettings = """
    SET search_path = pg_catalog;
    SET TimeZone = 'UTC';
    SET DateStyle = 'ISO, YMD';
    SET IntervalStyle = 'postgres';
    SET extra_float_digits = 1;
    SET bytea_output = 'hex';
    SET lc_monetary = 'C';
    SET row_security = off;
    SET statement_timeout = 0;
    """

  /// Schemas that are not PostgreSQL's own.
  static func userSchema(_ nspname: String) -> String {
    "\(nspname) NOT IN ('pg_catalog', 'information_schema') AND \(nspname) !~ '^pg_(toast|temp_|toast_temp_)'"
  }

  /// `oid` (an object of `catalog`) does not belong to an extension.
  static func notInExtension(_ catalog: String, _ oid: String) -> String {
    """
    NOT EXISTS (SELECT FROM pg_depend x WHERE x.classid = '\(catalog)'::regclass AND x.objid = \(oid) \
    AND x.deptype = 'e')
    """
  }

  /// An ACL (NULL: the default for `kind` and `owner`) as sorted text, roles by name:
  /// `PUBLIC: USAGE (granted by o); r: INSERT, SELECT WITH GRANT OPTION (granted by o)`.
  static func acl(_ acl: String, kind: Character, owner: String) -> String {
    """
    (SELECT coalesce(string_agg(item, '; ' ORDER BY item), '') FROM (
      SELECT format('%s: %s (granted by %s)', grantee, string_agg(privilege, ', ' ORDER BY privilege), grantor) AS item
      FROM (
        SELECT CASE WHEN ae.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(ae.grantee)) END AS grantee,
          ae.privilege_type || CASE WHEN ae.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS privilege,
          quote_ident(pg_get_userbyid(ae.grantor)) AS grantor
        FROM aclexplode(coalesce(\(acl), acldefault('\(kind)', \(owner)))) ae) privileges
      GROUP BY grantee, grantor) items)
    """
  }

  /// `schema.name` of a pg_class row `c` joined to its pg_namespace row `n`.
  static let relationName = "format('%I.%I', n.nspname, c.relname)"

  /// Keeps the user relations of `kinds` (pg_class `c`, pg_namespace `n`), without extensions'.
  static func userRelations(_ kinds: String) -> String {
    "c.relkind IN (\(kinds)) AND \(userSchema("n.nspname")) AND \(notInExtension("pg_class", "c.oid"))"
  }

  /// pg_class `c` joined to its pg_namespace `n`.
  static let relations = "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
}
