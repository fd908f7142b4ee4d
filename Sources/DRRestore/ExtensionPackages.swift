/// Where an extension comes from, for the fix of a target that lacks it.
public enum ExtensionPackages {
  /// PostgreSQL's contrib modules that are extensions: Debian's `postgresql-N` carries them,
  /// RHEL's `postgresqlN-contrib`; some relocatable builds leave a few out.
  static let contrib: Set<String> = [
    "adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dblink", "dict_int",
    "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "insert_username", "intagg", "intarray",
    "isn", "lo", "ltree", "moddatetime", "old_snapshot", "pageinspect", "pg_buffercache", "pg_freespacemap",
    "pg_logicalinspect", "pg_prewarm", "pg_stat_statements", "pg_surgery", "pg_trgm", "pg_visibility",
    "pg_walinspect", "pgcrypto", "pgrowlocks", "pgstattuple", "postgres_fdw", "refint", "seg", "sslinfo",
    "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp", "xml2",
  ]

  /// Procedural languages packaged apart from the server on Debian.
  static func language(_ name: String, major: Int) -> String? {
    switch name {
    case "plperl", "plperlu", "hstore_plperl", "hstore_plperlu", "jsonb_plperl", "jsonb_plperlu":
      "postgresql-plperl-\(major)"
    case "plpython3u", "hstore_plpython3u", "jsonb_plpython3u", "ltree_plpython3u": "postgresql-plpython3-\(major)"
    case "pltcl", "pltclu": "postgresql-pltcl-\(major)"
    default: nil
    }
  }

  /// How to give a server of major `major` the extension `name`.
  public static func fix(_ name: String, major: Int) -> String {
    let managed = " (on a managed service: its list of supported extensions)"
    if let package = language(name, major: major) ?? RestoreDiagnosis.package(of: name, major: major) {
      return "install \(package) on the target's host (Debian and Ubuntu, from apt.postgresql.org where the "
        + "release lacks it)\(managed), or restore into a server that has it"
    }
    if contrib.contains(name) {
      return "\(name) is one of PostgreSQL's contrib modules: Debian's postgresql-\(major) has it, RHEL's "
        + "postgresql\(major)-contrib; a build without it (some relocatable ones) needs another\(managed)"
    }
    return "install the extension \(name) for PostgreSQL \(major) on the target's host\(managed), or restore into a "
      + "server that has it"
  }
}
