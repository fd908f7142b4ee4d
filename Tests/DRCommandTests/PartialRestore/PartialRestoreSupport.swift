import DRPolicy
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A backup fixture with a schema `shop` whose `orders` table has everything a partial
/// restore must bring with it: a serial primary key (an owned sequence and its value), a
/// secondary index, a foreign key to `shop.customers`, a trigger calling a function of the
/// schema, a grant to `reader` and a comment.
enum PartialShop {
  /// The role granted SELECT on shop.orders (made once on the test server, kept: grants to
  /// it live in the databases tests restore).
  static let reader = "dr_partial_reader"
  static let orders = 300
  static let customers = 20

  static let schema = """
    CREATE SCHEMA shop;
    CREATE TABLE shop.customers (id serial PRIMARY KEY, name text NOT NULL);
    CREATE TABLE shop.orders (
      id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id), note text);
    CREATE INDEX orders_note_idx ON shop.orders (note);
    CREATE FUNCTION shop.stamp_note() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN NEW.note := coalesce(NEW.note, 'stamped'); RETURN NEW; END $$;
    CREATE TRIGGER orders_stamp BEFORE INSERT ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.stamp_note();
    COMMENT ON TABLE shop.orders IS 'every order';
    GRANT SELECT ON shop.orders TO \(reader);
    INSERT INTO shop.customers (name) SELECT 'customer ' || n FROM generate_series(1, \(customers)) n;
    INSERT INTO shop.orders (customer_id, note)
      SELECT 1 + n % \(customers), CASE WHEN n % 2 = 0 THEN 'note ' || n END FROM generate_series(1, \(orders)) n;
    """

  /// The fixture (its own schema too: sales, "Audit Log", partitions) with `shop`, backed up.
  static func backedUp(_ label: String) async throws -> (BackupFixture, String) {
    let fixture = try await BackupFixture.make(label)
    try await prepare(fixture)
    return (fixture, try await fixture.backup())
  }

  static func prepare(_ fixture: BackupFixture) async throws {
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    let exists = try await admin.query("SELECT 1 FROM pg_roles WHERE rolname = \(SQL.literal(reader))")
    if exists.isEmpty { _ = try? await admin.query("CREATE ROLE \(reader) NOLOGIN") }
    _ = try await PGConnection.connect(try fixture.userURL(withPassword: true)).query(schema)
  }

  /// A database name of the test's own on the suite's server, and the superuser's URL of it.
  static func target(_ label: String) throws -> (name: String, url: String) {
    let name = TestDatabases.uniqueName(label)
    return (name, PostgresURL.replacingDatabase(of: try TestServices.superuserURL(), with: name))
  }

  static func connect(_ url: String) async throws -> PGConnection {
    try await PGConnection.connect(url)
  }

  /// The first column of the first row of `sql`.
  static func value(_ connection: PGConnection, _ sql: String) async throws -> String? {
    try await connection.query(sql).first?.first ?? nil
  }

  static func exists(database name: String) async throws -> Bool {
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    return !(try await admin.query("SELECT 1 FROM pg_database WHERE datname = \(SQL.literal(name))")).isEmpty
  }

  /// `schema.table` of every table, view and sequence of `connection`'s database (not the
  /// system's), sorted: what "nothing changed" compares.
  static func relations(_ connection: PGConnection) async throws -> [String] {
    try await connection.query(
      "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
        + "ORDER BY 1"
    ).compactMap { $0.first ?? nil }
  }
}
