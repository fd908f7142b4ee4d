import DRCore
import DRPolicy
import DRPostgres
import Foundation
import Testing

@testable import DRBackup

/// The database's own properties in the manifest: as they are in an unencrypted backup,
/// sealed with the backup's key in an encrypted one (a setting's value may be a secret and
/// the manifest is not encrypted), absent from an older dr's.
struct ManifestPropertiesTests {
  static var properties: DatabaseProperties {
    var properties = DatabaseProperties(owner: "app", encoding: "UTF8", collate: "C", ctype: "C")
    properties.localeProvider = "libc"
    properties.connectionLimit = 20
    properties.settings = ["app.jwt_secret=hunter2-hunter2", #"search_path="Sales Q1", public"#]
    properties.roleSettings = [.init(role: "reader", settings: ["work_mem=8MB"])]
    properties.acl = [.init(grantee: "reader", grantor: "app", privilege: "CONNECT", grantable: false)]
    properties.comment = "the app's database"
    return properties
  }

  @Test func anOlderManifestHasNone() throws {
    let manifest = try BucketJSON.decoder.decode(
      BackupManifest.self, from: Data(ManifestEncryptionTests.older.utf8))
    #expect(try manifest.databaseProperties(key: nil) == nil)
  }

  @Test func anUnencryptedBackupRecordsThemAsTheyAre() throws {
    var manifest = KeyFixture.manifest(nil)
    manifest.database.properties = Self.properties
    let data = try BucketJSON.encoder.encode(manifest)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let recorded = try #require((json["database"] as? [String: Any])?["properties"] as? [String: Any])
    #expect(recorded["connection_limit"] as? Int == 20)
    #expect(recorded["locale_provider"] as? String == "libc")
    #expect((recorded["role_settings"] as? [[String: Any]])?.first?["role"] as? String == "reader")
    let decoded = try BucketJSON.decoder.decode(BackupManifest.self, from: data)
    #expect(try decoded.databaseProperties(key: nil) == Self.properties)
  }

  @Test func anEncryptedBackupSealsThemToItself() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let key = try #require(try await keys.ring(.keyFile(try keys.generate("k").path)).sealing(backup: KeyFixture.id))
    var manifest = KeyFixture.manifest(key)
    manifest.database.sealedProperties = try key.seal(Self.properties)
    let data = try BucketJSON.encoder.encode(manifest)
    #expect(!String(decoding: data, as: UTF8.self).contains("hunter2"), "no setting's value in the manifest")
    let decoded = try BucketJSON.decoder.decode(BackupManifest.self, from: data)
    #expect(try decoded.databaseProperties(key: key) == Self.properties)
    // Without the key, or moved to another backup's manifest, or altered: refused.
    #expect(throws: BackupError.self) { try decoded.databaseProperties(key: nil) }
    var moved = decoded
    moved.id = BackupID("20261124T221900Z-0000")!
    #expect(throws: BackupError.self) { try moved.databaseProperties(key: key) }
    var altered = decoded
    var bytes = try #require(Data(base64Encoded: altered.database.sealedProperties?.data ?? ""))
    bytes[bytes.count / 2] ^= 1
    altered.database.sealedProperties?.data = bytes.base64EncodedString()
    #expect(throws: BackupError.self) { try altered.databaseProperties(key: key) }
  }
}
