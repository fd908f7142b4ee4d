import DRCore
import DRCrypto
import DRPolicy

/// The key of one backup and what its manifest says about it: new objects get a cipher
/// with a fresh salt; stored objects get theirs back from their manifest entry.
public struct BackupKey: Sendable, CustomStringConvertible {
  public let key: SymmetricKey
  public let backupID: BackupID
  /// The manifest's `encryption` block.
  public let encryption: BackupManifest.Encryption

  init(key: SymmetricKey, backupID: BackupID, segmentSize: Int, kdf: BackupManifest.KeyDerivation?) {
    self.key = key
    self.backupID = backupID
    encryption = BackupManifest.Encryption(
      scheme: SegmentCipher.scheme, keyID: key.id, segmentSize: segmentSize, nonce: SegmentCipher.nonceScheme,
      kdf: kdf)
  }

  init(key: SymmetricKey, manifest: BackupManifest, encryption: BackupManifest.Encryption) {
    self.key = key
    backupID = manifest.id
    self.encryption = encryption
  }

  public var description: String { "key ID \(encryption.keyID)" }

  /// The cipher of a new object named `name` (the last part of its key), with its salt.
  func newObject(named name: String) -> (cipher: SegmentCipher, salt: [UInt8]) {
    let salt = SecureRandom.bytes(SegmentCipher.saltSize)
    let cipher = try! SegmentCipher(
      masterKey: key, salt: salt, backupID: backupID.rawValue, objectName: name, segmentSize: encryption.segmentSize)
    return (cipher, salt)
  }

  /// The cipher of a stored object, from its manifest entry.
  public func cipher(for object: BackupManifest.Object) throws -> SegmentCipher {
    guard let entry = object.encryption, let salt = KeyText.hex(entry.salt) else {
      throw BackupError(
        .manifestUnreadable, "the manifest gives \(object.key) no key salt, yet the backup is encrypted")
    }
    do {
      return try SegmentCipher(
        masterKey: key, salt: salt, backupID: backupID.rawValue, objectName: Self.name(of: object.key),
        segmentSize: encryption.segmentSize)
    } catch {
      throw BackupError(.manifestUnreadable, "the manifest's encryption of \(object.key) is unusable: \(error)")
    }
  }

  /// The object's name in the additional data: the last part of its key.
  static func name(of key: String) -> String {
    String(key.split(separator: "/").last ?? Substring(key))
  }
}
