import DRPostgres

/// The named objects a target database has, read in a few catalogue queries, to tell
/// which of an archive's entries exist there (by schema and name; functions by their
/// argument types, as pg_dump names them).
struct TargetObjects: Sendable {
  var schemas: Set<String> = []
  var relations: Set<String> = []
  var types: Set<String> = []
  var functions: Set<String> = []
  var collations: Set<String> = []
  var extensions: Set<String> = []
  var roles: Set<String> = []

  /// A database that does not exist yet: one made from template0 has the schema public;
  /// the server's roles are read all the same.
  static func fresh(_ server: PGConnection) async throws -> TargetObjects {
    TargetObjects(
      schemas: ["public"],
      roles: Set(try await server.query("SELECT rolname FROM pg_catalog.pg_roles").compactMap { $0.first ?? nil }))
  }

  static func read(_ connection: PGConnection) async throws -> TargetObjects {
    func names(_ sql: String) async throws -> Set<String> {
      Set(try await connection.query(sql).compactMap { $0.first ?? nil })
    }
    let qualified = "n.nspname || chr(1) || "
    let joined = "JOIN pg_catalog.pg_namespace n ON n.oid = "
    return TargetObjects(
      schemas: try await names("SELECT nspname FROM pg_catalog.pg_namespace"),
      relations: try await names("SELECT \(qualified)c.relname FROM pg_catalog.pg_class c \(joined)c.relnamespace"),
      types: try await names("SELECT \(qualified)t.typname FROM pg_catalog.pg_type t \(joined)t.typnamespace"),
      functions: try await names(
        "SELECT \(qualified)p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')' "
          + "FROM pg_catalog.pg_proc p \(joined)p.pronamespace"),
      collations: try await names(
        "SELECT \(qualified)c.collname FROM pg_catalog.pg_collation c \(joined)c.collnamespace"),
      extensions: try await names("SELECT extname FROM pg_catalog.pg_extension"),
      roles: try await names("SELECT rolname FROM pg_catalog.pg_roles"))
  }

  /// Whether the target has the object `entry` creates; false for kinds not looked up
  /// (data, comments, grants, constraints: they come with their object).
  func has(_ entry: ArchiveTOC.Entry) -> Bool {
    let key = "\(entry.namespace ?? "")\u{1}\(entry.tag)"
    switch entry.desc {
    case "SCHEMA": return schemas.contains(entry.tag)
    case "EXTENSION": return extensions.contains(entry.tag)
    case "TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "SEQUENCE", "INDEX": return relations.contains(key)
    case "TYPE", "SHELL TYPE", "DOMAIN": return types.contains(key)
    case "FUNCTION", "PROCEDURE", "AGGREGATE": return functions.contains(key)
    case "COLLATION": return collations.contains(key)
    default: return false
    }
  }
}
