import DRPostgres

/// The SQL that makes a hard database, in the order `HardDatabase.create` runs it. Names
/// are quoted here once; the scripts interpolate them.
struct HardDatabaseScript {
  let database: String
  let owner: String
  let reader: String
  let databaseOwner: String?

  init(database: String, owner: String, reader: String, databaseOwner: String?) {
    self.database = SQL.identifier(database)
    self.owner = SQL.identifier(owner)
    self.reader = SQL.identifier(reader)
    self.databaseOwner = databaseOwner.map(SQL.identifier)
  }

  /// Who creates the contents: the database's owner, or the superuser (`SET ROLE NONE`).
  var actingRole: String { databaseOwner ?? "NONE" }

  /// Run on the server (any database) as the superuser, in one transaction.
  var roles: String {
    """
    CREATE ROLE \(owner) NOLOGIN NOINHERIT CREATEDB CONNECTION LIMIT 7;
    CREATE ROLE \(reader) NOLOGIN VALID UNTIL 'infinity';
    GRANT \(reader) TO \(owner);
    ALTER ROLE \(reader) SET statement_timeout = '5min';
    COMMENT ON ROLE \(owner) IS 'owns objects in a hard database';
    \(databaseOwner.map { "GRANT \(owner) TO \($0);" } ?? "")
    """
  }

  /// UTF-8 whatever the cluster's default, with the C locale (compatible with any encoding).
  var createDatabase: String {
    """
    CREATE DATABASE \(database) \(databaseOwner.map { "OWNER \($0) " } ?? "")\
    TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'
    """
  }

  /// Run in the new database as `actingRole`, each step its own transaction: an enum
  /// value added by ALTER TYPE cannot be used before it commits, and deferred foreign-key
  /// checks must have fired before the tables they watch are altered.
  var contentSteps: [String] {
    [schema, "ALTER TYPE \"Sales Q1\".\"Order Status\" ADD VALUE 'päid partly' BEFORE 'paid'", code, data, privileges]
  }

  /// Run in the new database as the superuser: properties of the database itself, which
  /// pg_dump keeps only for `pg_restore --create`: a comment, settings (a list one among
  /// them), a connection limit, privileges granted by the owner and by a role holding the
  /// grant option, PUBLIC's TEMPORARY revoked, a role's settings in the database.
  var databaseProperties: String {
    """
    COMMENT ON DATABASE \(database) IS 'a database that is hard to restore';
    ALTER DATABASE \(database) SET timezone = 'Asia/Tokyo';
    ALTER DATABASE \(database) SET search_path = "Sales Q1", public;
    ALTER DATABASE \(database) CONNECTION LIMIT 50;
    GRANT CONNECT, TEMPORARY ON DATABASE \(database) TO \(reader);
    REVOKE TEMPORARY ON DATABASE \(database) FROM PUBLIC;
    GRANT CREATE ON DATABASE \(database) TO \(owner) WITH GRANT OPTION;
    SET ROLE \(owner);
    GRANT CREATE ON DATABASE \(database) TO \(reader);
    RESET ROLE;
    ALTER ROLE \(reader) IN DATABASE \(database) SET work_mem = '8MB';
    """
  }
}
