import DRPostgres

extension FingerprintQuery {
  /// The database's own properties (its name excepted: restores may rename it).
  static var databaseProperties: [FingerprintQuery] {
    [
      FingerprintQuery(
        aspect: .databaseProperties,
        sql: """
          SELECT 'database owner', pg_get_userbyid(d.datdba) FROM pg_database d WHERE d.datname = current_database()
          UNION ALL
          SELECT 'database encoding and locale', format('%s, collate %s, ctype %s, provider %s',
            pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, d.datlocprovider)
          FROM pg_database d WHERE d.datname = current_database()
          UNION ALL
          SELECT 'database options', format('connection limit %s, allow connections %s, template %s',
            d.datconnlimit, d.datallowconn, d.datistemplate)
          FROM pg_database d WHERE d.datname = current_database()
          UNION ALL
          SELECT 'privileges on database', \(FingerprintSQL.acl("d.datacl", kind: "d", owner: "d.datdba"))
          FROM pg_database d WHERE d.datname = current_database()
          UNION ALL
          SELECT 'comment on database', s.description
          FROM pg_shdescription s JOIN pg_database d ON d.oid = s.objoid
          WHERE s.classoid = 'pg_database'::regclass AND d.datname = current_database()
          UNION ALL
          SELECT CASE WHEN s.setrole = 0 THEN 'database settings'
                      ELSE format('database settings for role %I', pg_get_userbyid(s.setrole)) END,
            (SELECT string_agg(setting, ', ' ORDER BY setting) FROM unnest(s.setconfig) setting)
          FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
          WHERE d.datname = current_database()
          """)
    ]
  }
}

/// The facts read from the data itself: rows, sequence values, large objects.
enum FingerprintData {
  static func facts(on connection: PGConnection) async throws -> [(String, String)] {
    try await rows(on: connection) + sequenceValues(on: connection) + largeObjects(on: connection)
  }

  /// Tables (partitions included; partitioned tables have no rows of their own) and
  /// materialized views: the count and the md5 of the rows as text, sorted bytewise.
  private static func rows(on connection: PGConnection) async throws -> [(String, String)] {
    let relations = try await connection.query(
      """
      SELECT \(FingerprintSQL.relationName), c.relkind = 'm' AND NOT c.relispopulated
      FROM \(FingerprintSQL.relations) WHERE \(FingerprintSQL.userRelations("'r', 'm'")) ORDER BY 1
      """)
    var facts: [(String, String)] = []
    for row in relations {
      guard let name = row[0] else { continue }
      guard row[1] != "t" else {
        facts.append(("rows \(name)", "not populated"))
        continue
      }
      let result = try await connection.query(
        """
        SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C"), ''))
        FROM ONLY \(name) t
        """)
      facts.append(("rows \(name)", "\(result[0][0] ?? "?") rows, md5 \(result[0][1] ?? "?")"))
    }
    return facts
  }

  private static func sequenceValues(on connection: PGConnection) async throws -> [(String, String)] {
    let sequences = try await connection.query(
      """
      SELECT \(FingerprintSQL.relationName)
      FROM \(FingerprintSQL.relations) WHERE \(FingerprintSQL.userRelations("'S'")) ORDER BY 1
      """)
    var facts: [(String, String)] = []
    for case let name? in sequences.map({ $0[0] }) {
      let value = try await connection.query(
        "SELECT format('last value %s, called %s', last_value, is_called) FROM \(name)")
      facts.append(("value of sequence \(name)", value[0][0] ?? "?"))
    }
    return facts
  }

  private static func largeObjects(on connection: PGConnection) async throws -> [(String, String)] {
    try await FingerprintQuery(
      aspect: .contents,
      sql: """
        SELECT format('large object %s', l.oid), format('%s bytes, md5 %s', length(lo_get(l.oid)), md5(lo_get(l.oid)))
        FROM pg_largeobject_metadata l
        """
    ).run(on: connection)
  }
}
