import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A database's own properties read, applied to another database and compared, against
/// the real PostgreSQL: an owner of its own, LATIN1 with the C locale, a connection limit,
/// settings (a list one among them), a role's settings, privileges granted by the owner
/// and by a role holding the grant option, PUBLIC's revoked, a comment.
struct DatabasePropertiesTests {
  /// The source database and its three roles (owner, a delegate with the grant option,
  /// a reader the delegate grants to), all made with a random suffix.
  struct Source {
    let name: String
    let owner: String
    let delegate: String
    let reader: String
    let admin: PGConnection

    static func make() async throws -> Source {
      let suffix = UUID().uuidString.prefix(8).lowercased()
      let source = Source(
        name: "dr_props_\(suffix)", owner: "dr_props_owner_\(suffix)", delegate: "dr_props_delegate_\(suffix)",
        reader: "dr_props_reader_\(suffix)", admin: try await PGConnection.connect(try TestServices.superuserURL()))
      _ = try await source.admin.query(
        "CREATE ROLE \(source.owner); CREATE ROLE \(source.delegate); CREATE ROLE \(source.reader)")
      _ = try await source.admin.query(
        "CREATE DATABASE \(source.name) OWNER \(source.owner) TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C' "
          + "CONNECTION LIMIT 5")
      _ = try await source.admin.query(
        """
        ALTER DATABASE \(source.name) SET search_path = "Sales Q1", public;
        ALTER DATABASE \(source.name) SET work_mem = '8MB';
        ALTER ROLE \(source.reader) IN DATABASE \(source.name) SET statement_timeout = '5min';
        REVOKE CONNECT, TEMPORARY ON DATABASE \(source.name) FROM PUBLIC;
        GRANT CONNECT ON DATABASE \(source.name) TO \(source.delegate) WITH GRANT OPTION;
        SET ROLE \(source.delegate);
        GRANT CONNECT ON DATABASE \(source.name) TO \(source.reader);
        RESET ROLE;
        COMMENT ON DATABASE \(source.name) IS 'it''s the source';
        """)
      return source
    }

    func remove(_ others: [String] = []) async {
      for database in [name] + others { await TestDatabases.drop(database) }
      _ = try? await admin.query("DROP ROLE IF EXISTS \(reader), \(delegate), \(owner)")
    }
  }

  @Test func readsOwnerEncodingLocaleSettingsPrivilegesAndComment() async throws {
    let source = try await Source.make()
    let read = try await DatabaseProperties.read(database: source.name, on: source.admin)
    await source.remove()
    let properties = try #require(read)
    #expect(properties.owner == source.owner)
    #expect(properties.encoding == "LATIN1")
    #expect(properties.collate == "C" && properties.ctype == "C")
    #expect(properties.localeProvider == "libc")
    #expect(properties.connectionLimit == 5)
    #expect(properties.settings == [#"search_path="Sales Q1", public"#, "work_mem=8MB"])
    #expect(properties.roleSettings == [.init(role: source.reader, settings: ["statement_timeout=5min"])])
    #expect(properties.comment == "it's the source")
    let grants = Set(properties.acl ?? [])
    #expect(
      grants.contains(.init(grantee: source.reader, grantor: source.delegate, privilege: "CONNECT", grantable: false)))
    #expect(
      grants.contains(.init(grantee: source.delegate, grantor: source.owner, privilege: "CONNECT", grantable: true)))
    #expect(!grants.contains { $0.grantee == nil }, "PUBLIC's privileges were revoked")
    #expect(try await DatabaseProperties.read(database: "dr_no_such_database", on: source.admin) == nil)
  }

  @Test func appliedToANewDatabaseUnderAnotherNameTheyAreTheSame() async throws {
    let source = try await Source.make()
    let copy = source.name + "_copy"
    let properties = try #require(try await DatabaseProperties.read(database: source.name, on: source.admin))
    let creation = try await DatabaseProperties.createDatabase(
      copy, like: properties, on: source.admin, fallBack: false)
    let report = try await properties.apply(to: copy, on: source.admin, scope: .init())
    let restored = try await DatabaseProperties.read(database: copy, on: source.admin)
    await source.remove([copy])
    #expect(creation == .kept)
    #expect(report.notApplied.isEmpty, "\(report.notes)")
    let copied = try #require(restored)
    #expect(properties.differences(in: copied).isEmpty, "\(properties.differences(in: copied))")
    #expect(copied.encoding == "LATIN1" && copied.collate == "C" && copied.owner == source.owner)
  }

  @Test func aRoleTheServerLacksLeavesItsPartsAndSaysSo() async throws {
    let source = try await Source.make()
    let copy = source.name + "_copy"
    var properties = try #require(try await DatabaseProperties.read(database: source.name, on: source.admin))
    _ = try await DatabaseProperties.createDatabase(copy, like: properties, on: source.admin, fallBack: false)
    // The reader is gone from this server (as without the backup's roles).
    properties.roleSettings = [.init(role: "dr_props_nobody", settings: ["work_mem=1MB"])]
    properties.acl?.append(
      .init(grantee: "dr_props_nobody", grantor: source.owner, privilege: "TEMPORARY", grantable: false))
    let report = try await properties.apply(to: copy, on: source.admin, scope: .init())
    let restored = try #require(try await DatabaseProperties.read(database: copy, on: source.admin))
    await source.remove([copy])
    #expect(report.missingRoles == [.roleSettings("dr_props_nobody"), .privileges])
    #expect(report.notes.contains { $0.contains("no role dr_props_nobody on this server") }, "\(report.notes)")
    let differing = Set(properties.differences(in: restored).map(\.property))
    #expect(differing == [.roleSettings("dr_props_nobody"), .privileges], "the rest was applied")
    #expect(properties.differences(in: restored) { $0.involvesRoles }.isEmpty)
  }

  @Test func aSettingTheServerRefusesIsNotedWithoutItsValue() async throws {
    let source = try await Source.make()
    let copy = source.name + "_copy"
    var properties = try #require(try await DatabaseProperties.read(database: source.name, on: source.admin))
    _ = try await DatabaseProperties.createDatabase(copy, like: properties, on: source.admin, fallBack: false)
    properties.settings.append("work_mem=secret-value-42")
    let report = try await properties.apply(to: copy, on: source.admin, scope: .init())
    let restored = try #require(try await DatabaseProperties.read(database: copy, on: source.admin))
    await source.remove([copy])
    #expect(report.refusedSettings == [.settings: ["work_mem"]])
    #expect(report.notes.count == 1 && report.notes[0].contains("work_mem"), "\(report.notes)")
    #expect(!report.notes.joined().contains("secret-value-42"))
    // The other settings are still compared, and still equal.
    let refused = report.refusedSettings
    #expect(properties.withoutSettings(refused).differences(in: restored.withoutSettings(refused)).isEmpty)
    let differences = properties.differences(in: restored)
    #expect(differences.map(\.property) == [.settings])
    #expect(!differences.description.contains("secret-value-42"), "values are never shown: \(differences)")
  }

  @Test func aLocaleTheServerLacksStopsOrFallsBackToC() async throws {
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    let name = TestDatabases.uniqueName("locale")
    var properties = DatabaseProperties(owner: "postgres", encoding: "UTF8", collate: "xx_XX.UTF-8", ctype: "C")
    properties.localeProvider = "libc"
    let error = await #expect(throws: PostgresError.self) {
      try await DatabaseProperties.createDatabase(name, like: properties, on: admin, fallBack: false)
    }
    #expect(error?.message.contains("xx_XX.UTF-8") == true, "\(String(describing: error))")
    #expect(try await !TestDatabases.exists(name), "nothing was created")
    let creation = try await DatabaseProperties.createDatabase(name, like: properties, on: admin, fallBack: true)
    let made = try await DatabaseProperties.read(database: name, on: admin)
    await TestDatabases.drop(name)
    #expect(creation.encoding && !creation.locale)
    #expect(creation.note?.contains("xx_XX.UTF-8") == true, "\(creation.note ?? "")")
    #expect(made?.encoding == "UTF8" && made?.collate == "C")
  }

  @Test func differencesNameSettingsButNeverTheirValues() {
    var backup = DatabaseProperties(owner: "o", encoding: "UTF8", collate: "C", ctype: "C")
    backup.settings = ["work_mem=8MB", "app.key=hunter2"]
    backup.comment = "source"
    var restored = backup
    restored.settings = ["work_mem=8MB", "app.key=other", "extra_one=1"]
    restored.owner = "postgres"
    restored.comment = nil
    let found = backup.differences(in: restored)
    #expect(found.map(\.property) == [.owner, .settings, .privileges, .comment])
    let settings = found.first { $0.property == .settings }?.detail ?? ""
    #expect(settings == "extra extra_one; other values for app.key")
    #expect(!found.description.contains("hunter2"))
    #expect(backup.differences(in: restored) { $0.involvesRoles || $0 == .comment }.map(\.property) == [.settings])
  }
}
