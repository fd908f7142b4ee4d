import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// Against the real PostgreSQL that scripts/services starts.
struct PGConnectionTests {
  @Test func superuserConnectsAndQueries() async throws {
    let connection = try await PGConnection.connect(try TestServices.superuserURL())
    #expect(connection.serverMajorVersion >= 15)
    let rows = try await connection.query("SELECT current_setting('is_superuser'), 1 + 1, NULL::text")
    #expect(rows.count == 1)
    #expect(rows[0] == ["on", "2", nil])
  }

  @Test func passwordUserConnectsWithPasswordInURLParameters() async throws {
    let password = try TestServices.userPassword()
    let url = try TestServices.userURL() + "?password=\(password)"
    let connection = try await PGConnection.connect(url)
    let rows = try await connection.query("SELECT current_user, current_setting('is_superuser')")
    #expect(rows == [["dr_user", "off"]])
  }

  @Test func wrongPasswordIsRefusedWithoutShowingIt() async throws {
    let url = try TestServices.userURL() + "?password=wrong-password-123"
    SecretRegistry.shared.register("wrong-password-123")
    let error = await #expect(throws: PostgresError.self) { try await PGConnection.connect(url) }
    #expect(error?.code == .connection)
    #expect(error?.description.contains("password authentication failed") == true)
    #expect(error?.description.contains("wrong-password-123") == false)
  }

  @Test func missingPasswordIsRefused() async throws {
    // No password in the URL; PGPASSWORD of this process may be unset or wrong for dr_user.
    let url = try TestServices.userURL() + "?passfile=/nonexistent"
    await #expect(throws: PostgresError.self) { try await PGConnection.connect(url) }
  }

  @Test func queryErrorsCarryTheServerMessage() async throws {
    let connection = try await PGConnection.connect(try TestServices.superuserURL())
    let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT * FROM no_such_table") }
    #expect(error?.description.contains("no_such_table") == true)
  }

  @Test func unreachableServerFailsQuickly() async throws {
    let error = await #expect(throws: PostgresError.self) {
      try await PGConnection.connect("postgresql://u@127.0.0.1:1/db?connect_timeout=2")
    }
    #expect(error?.description.contains("Connection refused") == true)
  }
}
