import DRCore
import DRCrypto
import Foundation
import Logging

extension KeyRing {
  /// The key that opens `manifest`'s backup, found by key ID before anything is
  /// downloaded; nil for an unencrypted backup. When no candidate matches, the error
  /// names the backup's key ID and what each candidate was (its ID, or why it could not
  /// be read), never a key.
  ///
  /// An unencrypted backup under a policy that encrypts is read, with a warning: it was
  /// made before encryption was turned on, or its manifest was replaced (the manifest is
  /// not authenticated; docs/architecture.md).
  public func unlock(_ manifest: BackupManifest, logger: Logger? = nil) async throws -> BackupKey? {
    guard let encryption = manifest.encryption else {
      if let object = manifest.objects.first(where: { $0.encryption != nil }) {
        throw BackupError(.manifestUnreadable, "the manifest of \(manifest.id) encrypts \(object.key) but has no key")
      }
      if current != nil {
        logger?.warning("backup \(manifest.id) is not encrypted, although the policy encrypts new backups")
      }
      return nil
    }
    try Self.check(encryption, of: manifest)
    let stem = "backup \(manifest.id) was encrypted with key ID \(encryption.keyID)"
    guard !candidates.isEmpty else {
      throw BackupError(.key, "\(stem), and the policy has no backup.encryption keys: add the key to decryption_keys")
    }
    var tried: [String] = []
    for candidate in candidates {
      do {
        let key = try await derive(candidate, encryption)
        if key.id == encryption.keyID { return BackupKey(key: key, manifest: manifest, encryption: encryption) }
        tried.append("\(candidate) has key ID \(key.id)")
      } catch let error as BackupError {
        tried.append(error.message)
      }
    }
    throw BackupError(
      .key,
      "\(stem); none of the policy's keys matches: \(tried.joined(separator: "; ")). "
        + "Add the key it was made with to backup.encryption.decryption_keys")
  }

  /// The candidate's key as this backup's key was made: as it is, or stretched from a
  /// passphrase with the backup's salt.
  func derive(_ candidate: Candidate, _ encryption: BackupManifest.Encryption) async throws -> SymmetricKey {
    let bytes = try candidate.load()
    guard let kdf = encryption.kdf else { return try KeyFile.key(from: bytes, label: candidate.label) }
    return try await Self.stretch(try KeyFile.passphrase(from: bytes, label: candidate.label), kdf)
  }

  /// A scheme dr knows, with parameters it accepts, and a salt for every object.
  static func check(_ encryption: BackupManifest.Encryption, of manifest: BackupManifest) throws {
    guard encryption.scheme == SegmentCipher.scheme else {
      throw BackupError(
        .manifestUnreadable, "backup \(manifest.id) uses encryption scheme \(encryption.scheme), unknown to this dr")
    }
    guard SegmentCipher.segmentSizes.contains(encryption.segmentSize) else {
      throw BackupError(.manifestUnreadable, "backup \(manifest.id) has segments of \(encryption.segmentSize) bytes")
    }
    if let kdf = encryption.kdf {
      do { try kdf.parameters.validate() } catch {
        throw BackupError(.manifestUnreadable, "backup \(manifest.id): \(error)")
      }
    }
    if let object = manifest.objects.first(where: { $0.encryption == nil }) {
      throw BackupError(.manifestUnreadable, "the manifest of \(manifest.id) gives \(object.key) no key salt")
    }
  }
}
