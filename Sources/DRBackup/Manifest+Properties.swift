import DRCore
import DRCrypto
import DRPolicy
import DRPostgres
import Foundation

extension BackupManifest {
  /// The database's properties sealed like an object of the backup, under the name
  /// `database-properties` (in the additional data, so they open in this backup alone):
  /// their JSON, as the manifest would hold it, encrypted with a key derived with `salt`.
  public struct SealedProperties: Sendable, Codable, Equatable {
    /// Hex.
    public var salt: String
    /// Base64 of the sealed JSON.
    public var data: String
  }

  static let propertiesName = "database-properties"

  /// The name sealed properties are bound to: `database-properties`, and in a backup of
  /// several databases `database-properties/NAME`, so one database's cannot be moved to
  /// another's entry.
  static func propertiesName(database: String?) -> String {
    database.map { propertiesName + "/" + $0 } ?? propertiesName
  }

  /// The database's properties: as recorded, or opened with the backup's `key`. nil when
  /// the manifest has none (an older dr's). Throws `manifestUnreadable` when sealed ones do
  /// not open (altered) or the backup's key is not given.
  public func databaseProperties(key: BackupKey?) throws -> DatabaseProperties? {
    if let properties = database.properties { return properties }
    guard let sealed = database.sealedProperties else { return nil }
    guard let key else {
      throw BackupError(.manifestUnreadable, "the manifest's database properties are sealed, and no key was given")
    }
    guard let salt = KeyText.hex(sealed.salt), let bytes = Data(base64Encoded: sealed.data) else {
      throw BackupError(.manifestUnreadable, "the manifest's sealed database properties are not hex and base64")
    }
    do {
      let cipher = try SegmentCipher(
        masterKey: key.key, salt: salt, backupID: id.rawValue,
        objectName: Self.propertiesName(database: databases == nil ? nil : database.name),
        segmentSize: key.encryption.segmentSize)
      return try BucketJSON.decoder.decode(DatabaseProperties.self, from: Data(try cipher.openObject(Array(bytes))))
    } catch {
      throw BackupError(.manifestUnreadable, "the manifest's sealed database properties do not open: \(error)")
    }
  }
}

extension BackupKey {
  /// `properties` sealed for the manifest of this key's backup; `database` names them in a
  /// backup of several databases.
  func seal(_ properties: DatabaseProperties, database: String? = nil) throws -> BackupManifest.SealedProperties {
    let (cipher, salt) = newObject(named: BackupManifest.propertiesName(database: database))
    let sealed = cipher.sealObject(Array(try BucketJSON.encoder.encode(properties)))
    return BackupManifest.SealedProperties(salt: salt.hex, data: Data(sealed).base64EncodedString())
  }
}
