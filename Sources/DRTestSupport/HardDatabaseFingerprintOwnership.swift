extension FingerprintQuery {
  /// Owners, privileges, default privileges, and the roles this database involves.
  static var ownership: [FingerprintQuery] {
    [owners, privileges, columnPrivileges, defaultPrivileges, roles]
  }

  private static var owners: FingerprintQuery {
    typealias S = FingerprintSQL
    return FingerprintQuery(
      aspect: .ownership,
      sql: """
        SELECT format('owner of schema %I', n.nspname), pg_get_userbyid(n.nspowner) FROM pg_namespace n
        WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_namespace", "n.oid"))
        UNION ALL
        SELECT 'owner of relation ' || \(S.relationName), pg_get_userbyid(c.relowner)
        FROM \(S.relations) WHERE \(S.userRelations("'r', 'p', 'v', 'm', 'S', 'c', 'f'"))
        UNION ALL
        SELECT format('owner of type %s', t.oid::regtype), pg_get_userbyid(t.typowner)
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'd', 'r') AND \(S.userSchema("n.nspname"))
          AND \(S.notInExtension("pg_type", "t.oid"))
        UNION ALL
        SELECT format('owner of function %s', p.oid::regprocedure), pg_get_userbyid(p.proowner)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_proc", "p.oid"))
        UNION ALL
        SELECT format('owner of statistics %I.%I', n.nspname, s.stxname), pg_get_userbyid(s.stxowner)
        FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE \(S.userSchema("n.nspname"))
        UNION ALL
        SELECT format('owner of large object %s', l.oid), pg_get_userbyid(l.lomowner) FROM pg_largeobject_metadata l
        """)
  }

  private static var privileges: FingerprintQuery {
    typealias S = FingerprintSQL
    return FingerprintQuery(
      aspect: .ownership,
      sql: """
        SELECT format('privileges on schema %I', n.nspname), \(S.acl("n.nspacl", kind: "n", owner: "n.nspowner"))
        FROM pg_namespace n WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_namespace", "n.oid"))
        UNION ALL
        SELECT 'privileges on relation ' || \(S.relationName),
          CASE WHEN c.relkind = 'S' THEN \(S.acl("c.relacl", kind: "s", owner: "c.relowner"))
               ELSE \(S.acl("c.relacl", kind: "r", owner: "c.relowner")) END
        FROM \(S.relations) WHERE \(S.userRelations("'r', 'p', 'v', 'm', 'S', 'f'"))
        UNION ALL
        SELECT format('privileges on type %s', t.oid::regtype), \(S.acl("t.typacl", kind: "T", owner: "t.typowner"))
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'd', 'r') AND \(S.userSchema("n.nspname"))
          AND \(S.notInExtension("pg_type", "t.oid"))
        UNION ALL
        SELECT format('privileges on function %s', p.oid::regprocedure),
          \(S.acl("p.proacl", kind: "f", owner: "p.proowner"))
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_proc", "p.oid"))
        UNION ALL
        SELECT format('privileges on large object %s', l.oid), \(S.acl("l.lomacl", kind: "L", owner: "l.lomowner"))
        FROM pg_largeobject_metadata l
        """)
  }

  /// Only columns with privileges of their own.
  private static var columnPrivileges: FingerprintQuery {
    typealias S = FingerprintSQL
    return FingerprintQuery(
      aspect: .ownership,
      sql: """
        SELECT name, acl FROM (
          SELECT format('privileges on column %s.%I', \(S.relationName), a.attname) AS name,
            \(S.acl("a.attacl", kind: "c", owner: "c.relowner")) AS acl
          FROM \(S.relations) JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          WHERE \(S.userRelations("'r', 'p', 'v', 'm', 'f'"))) columns
        WHERE acl <> ''
        """)
  }

  private static var defaultPrivileges: FingerprintQuery {
    FingerprintQuery(
      aspect: .ownership,
      sql: """
        SELECT format('default privileges of %I in %s on %s', pg_get_userbyid(d.defaclrole),
            coalesce(quote_ident(n.nspname), 'every schema'),
            CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
              WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::text END),
          \(FingerprintSQL.acl("d.defaclacl", kind: "r", owner: "d.defaclrole"))
        FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
        """)
  }

  /// The roles that own objects here or hold privileges on them (pg_shdepend: the
  /// bootstrap superuser is never listed), their attributes, settings, comments and
  /// memberships. Passwords are left out.
  private static var roles: FingerprintQuery {
    FingerprintQuery(
      aspect: .ownership,
      sql: """
        WITH involved AS (
          SELECT DISTINCT s.refobjid AS oid FROM pg_shdepend s
          WHERE s.refclassid = 'pg_authid'::regclass
            AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
        SELECT format('role %I', r.rolname),
          format('superuser %s, inherit %s, createrole %s, createdb %s, login %s, replication %s, bypassrls %s, '
            || 'connection limit %s, valid until {%s}', r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb,
            r.rolcanlogin, r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil)
        FROM pg_roles r JOIN involved i ON i.oid = r.oid
        UNION ALL
        SELECT format('settings of role %I', pg_get_userbyid(s.setrole)),
          (SELECT string_agg(setting, ', ' ORDER BY setting) FROM unnest(s.setconfig) setting)
        FROM pg_db_role_setting s JOIN involved i ON i.oid = s.setrole WHERE s.setdatabase = 0
        UNION ALL
        SELECT format('comment on role %I', pg_get_userbyid(d.objoid)), d.description
        FROM pg_shdescription d JOIN involved i ON i.oid = d.objoid WHERE d.classoid = 'pg_authid'::regclass
        UNION ALL
        SELECT format('membership of %I in %I', pg_get_userbyid(m.member), pg_get_userbyid(m.roleid)),
          format('admin option %s, granted by %s', m.admin_option, pg_get_userbyid(m.grantor))
        FROM pg_auth_members m
        WHERE m.member IN (SELECT oid FROM involved) OR m.roleid IN (SELECT oid FROM involved)
        """)
  }
}
