import DRPolicy
import Testing

/// A URL's libpq parameters (TLS among them) reach every connection and child program:
/// taking the password out and naming another database keep them.
struct PostgresURLTests {
  static let tls = "sslmode=verify-full&sslrootcert=/etc/dr/ca.crt"

  @Test func thePasswordGoesAndTheTLSParametersStay() throws {
    let url = try #require(PostgresURL("postgresql://app:s3cret@db.example:5432/app?\(Self.tls)&password=other"))
    let (connection, password) = url.withoutPassword
    #expect(connection == "postgresql://app@db.example:5432/app?\(Self.tls)")
    #expect(password == "s3cret")
    let inQuery = try #require(PostgresURL("postgresql://app@db.example/app?password=p%40ss&\(Self.tls)"))
    #expect(inQuery.withoutPassword.connection == "postgresql://app@db.example/app?\(Self.tls)")
    #expect(inQuery.withoutPassword.password == "p@ss")
  }

  @Test func anotherDatabaseKeepsTheParameters() {
    let url = "postgresql://app@db.example:5432/app?\(Self.tls)"
    #expect(
      PostgresURL.replacingDatabase(of: url, with: "dr_restore_1")
        == "postgresql://app@db.example:5432/dr_restore_1?\(Self.tls)")
    #expect(
      PostgresURL.replacingDatabase(of: "postgresql://app@db.example?\(Self.tls)", with: "postgres")
        == "postgresql://app@db.example/postgres?\(Self.tls)")
  }
}
