import DRCore
import DRPolicy
import Foundation
import Testing

@testable import DRBackup
@testable import DRPostgres

/// A backup of several databases in one manifest (issue 18): format 2 with `databases`,
/// the first also in `database` and `row_counts`; a single-database backup stays format 1
/// with none of the new fields; each database is restored and verified as a backup of it
/// alone; a list that does not match the objects makes the manifest damaged.
struct ManifestDatabasesTests {
  static let names = ["summit", "billing", "Odd/Name ü"]

  static func object(_ role: BackupManifest.Object.Role, _ name: String, database: String?) -> BackupManifest.Object {
    .init(
      role: role, key: "p/t/backups/\(KeyFixture.id)/\(name)", size: 10, sha256: "ab", etag: "", parts: 1,
      partSize: 10,
      compression: .init(codec: "bzip2", level: 9, chunkSize: 100, uncompressedSize: 10, streamLengths: [10]),
      database: database)
  }

  static func counts(_ rows: Int64) -> BackupManifest.RowCounts {
    .init(mode: "exact", tables: [TableRowCount(schema: "public", table: "t", partitioned: false, rows: rows)])
  }

  /// Three databases, their dumps, the globals; each database's table holds 100 × its place.
  static func several() -> BackupManifest {
    var manifest = KeyFixture.manifest(nil)
    manifest.formatVersion = BackupManifest.format(databaseCount: 3)
    manifest.database.name = names[0]
    manifest.rowCounts = counts(100)
    manifest.objects =
      names.map { object(.dump, "dump-\(BucketLayout.fileName($0)).pgc.bz2", database: $0) }
      + [object(.globals, "globals.sql.bz2", database: nil)]
    manifest.databases = names.enumerated().map { index, name in
      .init(
        name: name, owner: "owner\(index)", sizeBytes: Int64(index), rowCounts: counts(Int64(100 * (index + 1))),
        startedAt: manifest.startedAt, finishedAt: manifest.finishedAt)
    }
    return manifest
  }

  @Test func oneDatabaseIsFormatOneWithNoneOfTheNewFields() throws {
    #expect(BackupManifest.format(databaseCount: 1) == 1)
    #expect(BackupManifest.format(databaseCount: 2) == 2)
    let json = try #require(
      try JSONSerialization.jsonObject(with: try BucketJSON.encoder.encode(KeyFixture.manifest(nil))) as? [String: Any])
    #expect(json["format_version"] as? Int == 1)
    #expect(json["databases"] == nil)
    #expect((json["objects"] as? [[String: Any]])?.allSatisfy { $0["database"] == nil } == true)
  }

  @Test func aBackupOfSeveralListsThemAndRoundTrips() throws {
    let manifest = Self.several()
    let data = try BucketJSON.encoder.encode(manifest)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["format_version"] as? Int == 2)
    #expect((json["databases"] as? [[String: Any]])?.map { $0["name"] as? String } == Self.names)
    let decoded = try BucketJSON.decoder.decode(BackupManifest.self, from: data)
    #expect(decoded == manifest)
    #expect(decoded.databaseNames == Self.names)
    #expect(decoded.hasSeveralDatabases)
    #expect(decoded.tableCount == 3)
    #expect(decoded.databasesProblem == nil)
  }

  @Test(arguments: [0, 1, 2])
  func eachDatabaseReadsAsABackupOfItAlone(index: Int) throws {
    let name = Self.names[index]
    let one = try #require(Self.several().selecting(database: name))
    #expect(one.database.name == name)
    #expect(one.database.owner == "owner\(index)")
    #expect(one.rowCounts.tables.first?.rows == Int64(100 * (index + 1)))
    #expect(one.objects.map(\.role) == [.dump, .globals])
    #expect(one.object(.dump)?.database == name)
    #expect(!one.hasSeveralDatabases)
    #expect(one.databaseNames == [name])
  }

  @Test func aDatabaseTheBackupLacksIsNotThere() {
    #expect(Self.several().selecting(database: "nope") == nil)
    let single = KeyFixture.manifest(nil)
    #expect(single.selecting(database: "d") == single)
    #expect(single.selecting(database: "summit") == nil)
    #expect(single.dump(of: "d") == single.object(.dump))
  }

  /// Ways a list of databases can disagree with the manifest's objects.
  enum Damage: String, CaseIterable, Sendable {
    case listedTwice, dumpMissing, dumpOfNoListedDatabase, anotherFirstDatabase, dumpsWithoutAList, emptyName, emptyList

    func apply(to manifest: inout BackupManifest) {
      switch self {
      case .listedTwice: manifest.databases?[2].name = names[1]
      case .dumpMissing: manifest.objects.remove(at: 1)
      case .dumpOfNoListedDatabase: manifest.objects[1].database = "other"
      case .anotherFirstDatabase: manifest.database.name = names[2]
      case .dumpsWithoutAList: manifest.databases = nil
      case .emptyName: manifest.databases?[1].name = ""
      case .emptyList: manifest.databases = []
      }
    }
  }

  @Test(arguments: Damage.allCases)
  func aListThatDoesNotMatchTheObjectsIsAProblem(damage: Damage) {
    var manifest = Self.several()
    damage.apply(to: &manifest)
    #expect(manifest.databasesProblem != nil, "\(damage)")
  }

  @Test(arguments: [
    ("summit", "dump-summit.pgc.bz2"),
    ("Sales_Q1-x", "dump-Sales_Q1-x.pgc.bz2"),
    ("../x y", "dump-%2E%2E%2Fx%20y.pgc.bz2"),
    ("ü\n", "dump-%C3%BC%0A.pgc.bz2"),
  ])
  func aDumpIsNamedAfterItsDatabaseAsOnePlainFileName(name: String, file: String) {
    let layout = BucketLayout(prefix: "p/", policyName: "t")
    let key = layout.dumpKey(KeyFixture.id, database: name, fileExtension: "bz2")
    #expect(key == layout.backupPrefix(KeyFixture.id) + file)
  }

  @Test func eachDatabasesSealedPropertiesOpenUnderItsOwnNameAlone() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let key = try #require(try await keys.ring(.keyFile(try keys.generate("k").path)).sealing(backup: KeyFixture.id))
    var manifest = Self.several()
    for index in Self.names.indices {
      var properties = ManifestPropertiesTests.properties
      properties.comment = "database \(index)"
      manifest.databases?[index].sealedProperties = try key.seal(properties, database: Self.names[index])
    }
    manifest.database.sealedProperties = manifest.databases?[0].sealedProperties
    for (index, name) in Self.names.enumerated() {
      let one = try #require(manifest.selecting(database: name))
      #expect(try one.databaseProperties(key: key)?.comment == "database \(index)")
    }
    #expect(try manifest.databaseProperties(key: key)?.comment == "database 0", "the first, in `database`")
    // One database's properties moved into another's entry do not open there.
    var moved = manifest
    moved.databases?[2].sealedProperties = manifest.databases?[1].sealedProperties
    let third = try #require(moved.selecting(database: Self.names[2]))
    #expect(throws: BackupError.self) { try third.databaseProperties(key: key) }
  }
}
