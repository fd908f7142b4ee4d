import DRCore
import DRCrypto
import DRPolicy
import Foundation
import Logging

extension KeyRing {
  /// What encrypts new backups, read: a key, or a passphrase still to be stretched.
  public enum CurrentKey: Sendable {
    case key(SymmetricKey)
    case passphrase([UInt8])
  }

  /// The policy's current key source, read and checked; nil when the policy does not
  /// encrypt. A key file others may read is used, with a warning.
  public func loadCurrent(logger: Logger? = nil) throws -> (label: String, key: CurrentKey)? {
    guard let current else { return nil }
    let source = Self.candidate(current, prefix: "backup.encryption.")
    if case .file(let path) = source.origin, KeyFile.isLoose(path) {
      logger?.warning("\(source.label) can be read by other users: chmod 600 \(path)")
    }
    let bytes = try source.load()
    switch current {
    case .keyFile, .key:
      return (source.label, .key(try KeyFile.key(from: bytes, label: source.label)))
    case .passphraseFile, .passphrase:
      let passphrase = try KeyFile.passphrase(from: bytes, label: source.label)
      guard passphrase.count >= KeyText.minimumPassphraseLength else {
        throw BackupError(
          .key, "\(source.label) is shorter than \(KeyText.minimumPassphraseLength) characters: use a longer passphrase"
        )
      }
      return (source.label, .passphrase(passphrase))
    }
  }

  /// The key of a new backup, or nil when the policy does not encrypt. A passphrase is
  /// stretched with scrypt and a salt of this backup's own (on a thread of its own: it
  /// takes half a second of CPU on purpose). `DR_ENCRYPTION_SEGMENT_SIZE` overrides the
  /// segment size (tests use small segments to have many); the manifest records it.
  public func sealing(
    backup id: BackupID, environment: [String: String] = [:], logger: Logger = Logger(label: "dr.backup")
  ) async throws -> BackupKey? {
    guard let (_, current) = try loadCurrent(logger: logger) else { return nil }
    let segmentSize = try Self.segmentSize(environment)
    switch current {
    case .key(let key):
      return BackupKey(key: key, backupID: id, segmentSize: segmentSize, kdf: nil)
    case .passphrase(let passphrase):
      let kdf = BackupManifest.KeyDerivation(salt: SecureRandom.bytes(16), parameters: .passphrase)
      let key = try await Self.stretch(passphrase, kdf)
      return BackupKey(key: key, backupID: id, segmentSize: segmentSize, kdf: kdf)
    }
  }

  /// scrypt over `passphrase` with the manifest's salt and parameters, off the cooperative pool.
  static func stretch(_ passphrase: [UInt8], _ kdf: BackupManifest.KeyDerivation) async throws -> SymmetricKey {
    guard kdf.name == "scrypt", let salt = KeyText.hex(kdf.salt) else {
      throw BackupError(.key, "the manifest's key derivation \(kdf.name) is not one dr knows (scrypt)")
    }
    return try await runBlocking("dr-scrypt") {
      var bytes = try Scrypt.derive(passphrase: passphrase, salt: salt, parameters: kdf.parameters)
      defer { bytes.wipe() }
      return try SymmetricKey(bytes)
    }
  }

  static func segmentSize(_ environment: [String: String]) throws -> Int {
    guard let text = environment["DR_ENCRYPTION_SEGMENT_SIZE"] else { return SegmentCipher.defaultSegmentSize }
    guard let size = Int(text), SegmentCipher.segmentSizes.contains(size) else {
      throw BackupError(.invalid, "DR_ENCRYPTION_SEGMENT_SIZE=\(text): expected bytes from 4096 to 67108864")
    }
    return size
  }
}
