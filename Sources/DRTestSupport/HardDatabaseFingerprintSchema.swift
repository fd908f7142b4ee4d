extension FingerprintQuery {
  /// Schemas, relations, columns, sequences' definitions, types and extensions.
  static var schema: [FingerprintQuery] {
    typealias S = FingerprintSQL
    return [
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('schema %I', n.nspname), 'exists' FROM pg_namespace n
          WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_namespace", "n.oid"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT 'relation ' || \(S.relationName),
            format('kind %s, persistence %s, options {%s}, row security %s/%s, replica identity %s, '
              || 'partition key {%s}, bound {%s}, inherits {%s}',
              c.relkind, c.relpersistence, array_to_string(c.reloptions, ', '), c.relrowsecurity,
              c.relforcerowsecurity, c.relreplident, pg_get_partkeydef(c.oid), pg_get_expr(c.relpartbound, c.oid),
              (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno)
                 FROM pg_inherits i WHERE i.inhrelid = c.oid))
          FROM \(S.relations) WHERE \(S.userRelations("'r', 'p', 'v', 'm', 'S', 'c', 'f'"))
          """),
      // Columns by name; their position counts the columns that were not dropped.
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('column %s.%I', \(S.relationName), a.attname),
            format('#%s %s, not null %s, default {%s}, identity {%s}, generated {%s}, collation {%s}, '
              || 'statistics %s, storage %s',
              row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum), format_type(a.atttypid, a.atttypmod),
              a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated,
              (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = a.attcollation),
              a.attstattarget, a.attstorage)
          FROM \(S.relations)
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
          WHERE \(S.userRelations("'r', 'p', 'v', 'm', 'c', 'f'"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('sequence %s', s.seqrelid::regclass),
            format('%s, start %s, increment %s, min %s, max %s, cache %s, cycle %s, owned by {%s}',
              format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
              s.seqcycle,
              (SELECT format('%s.%I (%s)', d.refobjid::regclass, a.attname, d.deptype)
                 FROM pg_depend d
                 JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                 WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
          FROM \(S.relations) JOIN pg_sequence s ON s.seqrelid = c.oid WHERE \(S.userRelations("'S'"))
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('type %s', t.oid::regtype),
            CASE t.typtype
              WHEN 'e' THEN 'enum: ' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                                           FROM pg_enum e WHERE e.enumtypid = t.oid)
              WHEN 'd' THEN format('domain over %s, not null %s, default {%s}, collation {%s}',
                format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
                (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation))
              ELSE 'type ' || t.typtype::text
            END
          FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE \(S.userSchema("n.nspname")) AND \(S.notInExtension("pg_type", "t.oid"))
            AND NOT EXISTS (SELECT FROM pg_type element WHERE element.typarray = t.oid)
            AND (t.typrelid = 0 OR (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c')
          """),
      FingerprintQuery(
        aspect: .contents,
        sql: """
          SELECT format('extension %I', e.extname), format('version %s in schema %I', e.extversion, n.nspname)
          FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          """),
    ]
  }
}
