import DRPostgres
import Foundation

/// The template of large test databases, made once per test run (as the password user,
/// so the copies' tables are readable by it). Concurrent callers share one creation.
actor LargeTemplate {
  static let shared = LargeTemplate()
  private var creation: Task<String, any Error>?

  func name() async throws -> String {
    if let creation { return try await creation.value }
    let creation = Task { try await Self.create() }
    self.creation = creation
    return try await creation.value
  }

  private static func create() async throws -> String {
    let name = TestDatabases.uniqueName("large_template")
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE DATABASE \(name) OWNER dr_user")
    do {
      let owner = try await PGConnection.connect(try BackupFixture.userURL(database: name, withPassword: true))
      _ = try await owner.query(BackupFixture.schema(fillerRows: 1_200_000))
    }
    _ = try await admin.query("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false IS_TEMPLATE true")
    return name
  }
}
