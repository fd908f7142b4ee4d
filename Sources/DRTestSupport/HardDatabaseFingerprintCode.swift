extension FingerprintQuery {
  /// Definitions: views, indexes, constraints, triggers, policies, functions, statistics
  /// objects, and every comment.
  static var code: [FingerprintQuery] {
    typealias S = FingerprintSQL
    return [
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT 'definition of ' || \(S.relationName), pg_get_viewdef(c.oid)
          FROM \(S.relations) WHERE \(S.userRelations("'v', 'm'"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('index %I.%I', n.nspname, c.relname),
            pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisclustered THEN ' (clustered)' ELSE '' END
              || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END
          FROM \(S.relations) JOIN pg_index i ON i.indexrelid = c.oid
          WHERE \(S.userRelations("'i', 'I'")) AND \(S.notInExtension("pg_class", "i.indrelid"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('constraint %I on %s', co.conname,
              CASE WHEN co.conrelid <> 0 THEN co.conrelid::regclass::text ELSE 'domain ' || co.contypid::regtype::text END),
            pg_get_constraintdef(co.oid)
          FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
          WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_class", "co.conrelid"))
            AND \(S.notInExtension("pg_type", "co.contypid"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('trigger %I on %s', t.tgname, t.tgrelid::regclass),
            format('%s (enabled: %s)', pg_get_triggerdef(t.oid), t.tgenabled)
          FROM pg_trigger t JOIN \(S.relations) ON c.oid = t.tgrelid
          WHERE NOT t.tgisinternal AND \(S.userRelations("'r', 'p', 'v', 'f'"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('policy %I on %s', p.polname, p.polrelid::regclass),
            format('%s for %s to {%s} using {%s} with check {%s}',
              CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END, p.polcmd,
              (SELECT string_agg(name, ', ' ORDER BY name) FROM (
                 SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END AS name
                 FROM unnest(p.polroles) r) roles),
              pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
          FROM pg_policy p
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('function %s', p.oid::regprocedure),
            CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_proc", "p.oid"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('statistics %I.%I', n.nspname, s.stxname), pg_get_statisticsobjdef(s.oid)
          FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
          WHERE \(S.userSchema("n.nspname"))
          """),
      // Comments on objects made after initdb, and on the public schema.
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('comment on %s %s', o.type, o.identity), d.description
          FROM pg_description d CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
          WHERE (d.objoid >= 16384 OR (d.classoid = 'pg_namespace'::regclass AND o.identity = 'public'))
            AND NOT EXISTS (SELECT FROM pg_depend x
                            WHERE x.classid = d.classoid AND x.objid = d.objoid AND x.deptype = 'e')
          """),
    ]
  }
}
