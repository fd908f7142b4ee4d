import Foundation
import Testing

@testable import DRBackup
@testable import DRPostgres
@testable import DRRestore

/// The findings' rules as values: what a dry run says for each answer of the target.
struct TargetFindingsTests {
  static func manifest(
    dumpMajor: Int = 17, extensions: [InstalledExtension]? = [], owner: String? = "app",
    uncompressed: Int64 = 1_000, databaseSize: Int64 = 3_000, globals: Bool = true
  ) -> BackupManifest {
    let id = BackupID.new(at: Date(timeIntervalSince1970: 1_800_000_000), suffix: 0xa1)
    let compression = BackupManifest.Compression(
      codec: "bzip2", level: 9, chunkSize: 1 << 20, uncompressedSize: uncompressed, streamLengths: [])
    var manifest = BackupManifest(
      formatVersion: 1, id: id, policy: "p", tool: .init(name: "dr", version: "0"),
      database: .init(
        name: "app", user: "app", hosts: "db", serverVersion: "\(dumpMajor).2",
        serverVersionNum: dumpMajor * 10_000 + 2, sizeBytes: databaseSize, owner: owner),
      pgDump: .init(path: "/x/pg_dump", version: "\(dumpMajor).2", majorVersion: dumpMajor), startedAt: id.startedAt,
      finishedAt: id.startedAt,
      objects: [
        .init(role: .dump, key: "k", size: 1, sha256: "", etag: "", parts: 1, partSize: 1, compression: compression)
      ],
      encryption: nil, globals: .init(included: globals, rolePasswords: true),
      rowCounts: .init(mode: "exact", tables: []))
    manifest.database.extensions = extensions
    return manifest
  }

  static func access(
    superuser: Bool = false, createDatabase: Bool = true, existing: TargetAccess.Existing? = nil,
    owner: TargetAccess.SourceOwner = .member("app")
  ) -> TargetAccess {
    TargetAccess(
      user: "restorer", superuser: superuser, createDatabase: createDatabase, database: "app", existing: existing,
      sourceOwner: owner)
  }

  @Test func anOlderServerFailsWithTheRefusalsWordsAndTheOverrideMakesItAWarning() {
    let manifest = Self.manifest(dumpMajor: 17)
    let refused = TargetFindings.server(manifest, serverMajor: 15, serverVersion: "15.18", hosts: "db:5432")
    #expect(refused.status == .fail)
    #expect(refused.detail.contains("a dump of PostgreSQL 17") && refused.detail.contains("runs PostgreSQL 15.18"))
    #expect(refused.detail.contains("SET transaction_timeout"))
    #expect(refused.fix?.contains("--allow-older-server") == true)
    let attempted = TargetFindings.server(
      manifest, serverMajor: 15, serverVersion: "15.18", hosts: "db:5432", allowOlderServer: true)
    #expect(attempted.status == .warn && attempted.detail.contains("unsupported"))
    let newer = TargetFindings.server(manifest, serverMajor: 18, serverVersion: "18.1", hosts: "db")
    #expect(newer.status == .ok && newer.detail.contains("a newer major") && newer.fix == nil)
  }

  @Test func eachExtensionIsFoundOrNamedWithWhereItComesFrom() {
    let needed = [
      InstalledExtension(name: "postgis", version: "3.4.2", schema: "public"),
      InstalledExtension(name: "pgcrypto", version: "1.3", schema: "public"),
      InstalledExtension(name: "citext", version: "1.6", schema: "public"),
      InstalledExtension(name: "hstore", version: "1.8", schema: "public"),
      InstalledExtension(name: "acme_private", version: "1", schema: "acme"),
    ]
    let available = AvailableExtensions([
      "citext": .init(defaultVersion: "1.6", superuser: true, trusted: true),
      "hstore": .init(defaultVersion: "1.7", superuser: true, trusted: true),
    ])
    let findings = TargetFindings.extensions(
      needed, available: available, serverMajor: 18, superuser: false, place: "the target")
    let byCheck = Dictionary(uniqueKeysWithValues: findings.map { ($0.check, $0) })
    #expect(findings.map(\.check) == needed.map { "extension:\($0.name)" })
    #expect(byCheck["extension:postgis"]?.status == .fail)
    #expect(byCheck["extension:postgis"]?.fix?.contains("postgresql-18-postgis-3") == true)
    #expect(byCheck["extension:pgcrypto"]?.fix?.contains("contrib") == true)
    #expect(byCheck["extension:pgcrypto"]?.fix?.contains("postgresql18-contrib") == true)
    #expect(byCheck["extension:citext"]?.status == .ok)
    #expect(byCheck["extension:hstore"]?.status == .warn, "1.7 is older than the source's 1.8")
    #expect(byCheck["extension:acme_private"]?.fix?.contains("PostgreSQL 18") == true)
  }

  @Test func anUntrustedExtensionNeedsASuperuser() {
    let needed = [InstalledExtension(name: "postgres_fdw", version: "1.1", schema: "public")]
    let available = AvailableExtensions(["postgres_fdw": .init(defaultVersion: "1.1", superuser: true, trusted: false)])
    let asUser = TargetFindings.extensions(needed, available: available, serverMajor: 17, superuser: false, place: "t")
    #expect(asUser.map(\.status) == [.fail])
    #expect(asUser.first?.detail.contains("only a superuser") == true)
    let asSuperuser = TargetFindings.extensions(
      needed, available: available, serverMajor: 17, superuser: true, place: "t")
    #expect(asSuperuser.map(\.status) == [.ok])
  }

  @Test func extensionsAnOlderManifestDidNotRecordAreUnknown() {
    let unknown = TargetFindings.extensions(
      nil, available: AvailableExtensions([:]), serverMajor: 17, superuser: true, place: "t")
    #expect(unknown.map(\.check) == ["extensions"] && unknown.map(\.status) == [.warn])
    #expect(unknown.first?.detail.contains("unknown") == true)
    let none = TargetFindings.extensions(
      [], available: AvailableExtensions([:]), serverMajor: 17, superuser: true, place: "t")
    #expect(none.map(\.status) == [.ok])
  }

  @Test func theDatabaseNeedsCreateDBAndACleanToReplaceAndTheOwnersRights() {
    let noCreate = TargetFindings.database(Self.access(createDatabase: false), replace: false)
    #expect(noCreate.status == .fail && noCreate.fix?.contains("CREATEDB") == true)
    #expect(TargetFindings.database(Self.access(), replace: false).status == .ok)
    let full = TargetAccess.Existing(owner: "restorer", member: true, objects: 12)
    let refused = TargetFindings.database(Self.access(existing: full), replace: false)
    #expect(refused.status == .fail && refused.fix?.contains("--clean") == true)
    #expect(TargetFindings.database(Self.access(existing: full), replace: true).status == .ok)
    let others = TargetAccess.Existing(owner: "someone", member: false, objects: 12)
    let foreign = TargetFindings.database(Self.access(existing: others), replace: true)
    #expect(foreign.status == .fail && foreign.fix?.contains("GRANT someone TO restorer") == true)
    #expect(TargetFindings.database(Self.access(superuser: true, existing: others), replace: true).status == .ok)
    let uncounted = TargetAccess.Existing(owner: "restorer", member: true, objects: nil)
    #expect(TargetFindings.database(Self.access(existing: uncounted), replace: true).status == .warn)
  }

  @Test func rolesNeedASuperuserOrTheSourcesOwnerOrNoOwner() {
    let manifest = Self.manifest()
    #expect(TargetFindings.roles(Self.access(superuser: true), manifest, noOwner: false).status == .ok)
    #expect(TargetFindings.roles(Self.access(owner: .missing("app")), manifest, noOwner: true).status == .ok)
    let missing = TargetFindings.roles(Self.access(owner: .missing("app")), manifest, noOwner: false)
    #expect(missing.status == .fail && missing.fix?.contains("--no-owner") == true)
    #expect(missing.fix?.contains("CREATE ROLE app") == true)
    let foreign = TargetFindings.roles(Self.access(owner: .notMember("app")), manifest, noOwner: false)
    #expect(foreign.status == .fail && foreign.fix?.contains("GRANT app TO restorer") == true)
    #expect(TargetFindings.roles(Self.access(owner: .member("app")), manifest, noOwner: false).status == .warn)
    let withoutGlobals = Self.manifest(globals: false)
    #expect(TargetFindings.roles(Self.access(owner: .member("app")), withoutGlobals, noOwner: false).status == .ok)
    #expect(TargetFindings.roles(Self.access(owner: .unknown), manifest, noOwner: false).status == .warn)
  }

  @Test func freeSpaceAgainstTheDumpAndTheSourcesSize() {
    let manifest = Self.manifest(uncompressed: 1_000, databaseSize: 3_000)
    #expect(TargetFindings.freeSpace(manifest, free: 999, place: "/d", unknown: "").status == .fail)
    #expect(TargetFindings.freeSpace(manifest, free: 2_000, place: "/d", unknown: "").status == .warn)
    let ok = TargetFindings.freeSpace(manifest, free: 3_000, place: "/d", unknown: "")
    #expect(ok.status == .ok && ok.detail.contains("/d"))
    let unknown = TargetFindings.freeSpace(manifest, free: nil, place: "", unknown: "not this host")
    #expect(unknown.status == .warn && unknown.detail.contains("unknown: not this host"))
  }

  @Test(arguments: [("1.10", "1.9", 1), ("1.3", "1.3", 0), ("3.4.2", "3.5", -1), ("1.0", "1.0.1", -1)])
  func versionsCompareByTheirNumbers(left: String, right: String, expected: Int) {
    #expect(TargetFindings.compareVersions(left, right) == expected)
  }

  @Test func aFindingAlwaysWritesItsFix() throws {
    let data = try JSONEncoder().encode(TargetFinding("server", .ok, "fine"))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    #expect(Set(object.keys) == ["check", "status", "detail", "fix"])
    #expect(object["fix"] is NSNull)
  }

  /// The dry run's JSON, to the byte: `dry_run` always true, `ok` false once a finding
  /// fails, `fix` null where there is nothing to fix; and a finding read back is the same.
  @Test func aDryRunReportIsWrittenInOneShape() throws {
    let findings = [
      TargetFinding("server", .ok, "fine"), TargetFinding("roles", .fail, "missing", fix: "CREATE ROLE app"),
    ]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = String(
      decoding: try encoder.encode(TargetCheckReport(id: "b", target: "t", findings: findings)), as: UTF8.self)
    #expect(
      text == #"{"dry_run":true,"findings":[{"check":"server","detail":"fine","fix":null,"status":"ok"},"#
        + #"{"check":"roles","detail":"missing","fix":"CREATE ROLE app","status":"fail"}],"id":"b","ok":false,"target":"t"}"#
    )
    let decoded = try JSONDecoder().decode(
      [TargetFinding].self, from: Data(#"[{"check":"a","status":"ok","detail":"d"}]"#.utf8))
    #expect(decoded == [TargetFinding("a", .ok, "d")])
  }
}
