import DRCore
import DRCrypto
import DRPolicy
import Foundation
import Testing

@testable import DRBackup

/// Which key opens a backup: found by key ID up front, old keys kept for rotation,
/// passphrases stretched with each backup's salt, and clear refusals.
struct KeyRingTests {
  @Test func anUnencryptedBackupNeedsNoKey() async throws {
    #expect(try await KeyRing.none.unlock(KeyFixture.manifest(nil)) == nil)
  }

  @Test func rotationKeepsOldBackupsReadableWithDecryptionKeys() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let old = try keys.generate("old.key")
    let new = try keys.generate("new.key")
    let manifest = KeyFixture.manifest(try await keys.ring(.keyFile(old.path)).sealing(backup: KeyFixture.id))
    let rotated = keys.ring(.keyFile(new.path), decryptionKeys: [keys.path("missing.key"), old.path])
    let opened = try await rotated.unlock(manifest)
    #expect(opened?.encryption.keyID == old.id)
    #expect(try await rotated.sealing(backup: KeyFixture.id)?.encryption.keyID == new.id)
  }

  @Test func aWrongKeyIsNamedByIDsOnly() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let old = try keys.generate("old.key")
    let new = try keys.generate("new.key")
    let manifest = KeyFixture.manifest(try await keys.ring(.keyFile(old.path)).sealing(backup: KeyFixture.id))
    let error = await #expect(throws: BackupError.self) {
      try await keys.ring(.keyFile(new.path), decryptionKeys: [keys.path("gone.key")]).unlock(manifest)
    }
    let message = error?.message ?? ""
    #expect(error?.code == .key)
    #expect(message.hasPrefix("backup \(KeyFixture.id) was encrypted with key ID \(old.id); none of the policy's keys"))
    #expect(message.contains("backup.encryption.key_file \(new.path) has key ID \(new.id)"))
    #expect(message.contains("backup.encryption.decryption_keys[0] \(keys.path("gone.key")) does not exist"))
    for path in [old.path, new.path] {
      #expect(!message.contains(try String(contentsOfFile: path, encoding: .utf8).prefix(64)))
    }
  }

  @Test func anEncryptedBackupWithoutKeysSaysWhatToAdd() async throws {
    let manifest = KeyFixture.manifest(
      try await KeyFixture().ring(.key(.init(SymmetricKey.random().hexText))).sealing(backup: KeyFixture.id))
    let error = await #expect(throws: BackupError.self) { try await KeyRing.none.unlock(manifest) }
    #expect(error?.message.contains("the policy has no backup.encryption keys") == true)
  }

  @Test func aPassphraseIsStretchedWithEachBackupsOwnSalt() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let file = try keys.write("pass", text: "correct horse battery staple\n")
    let ring = keys.ring(.passphraseFile(file))
    let first = try #require(try await ring.sealing(backup: KeyFixture.id))
    let second = try #require(try await ring.sealing(backup: KeyFixture.id))
    let kdf = try #require(first.encryption.kdf)
    #expect(kdf.name == "scrypt" && kdf.parameters == ScryptParameters(n: 1 << 17, r: 8, p: 1))
    #expect(kdf.salt.count == 32)
    #expect(kdf.salt != second.encryption.kdf?.salt)
    #expect(first.encryption.keyID != second.encryption.keyID)
    // The same passphrase inline (as ${VAR} gives it) opens it; the manifest never holds it.
    let inline = keys.ring(.passphrase(.init("correct horse battery staple")))
    #expect(try await inline.unlock(KeyFixture.manifest(first))?.encryption.keyID == first.encryption.keyID)
    let json = String(decoding: try BucketJSON.encoder.encode(KeyFixture.manifest(first)), as: UTF8.self)
    #expect(!json.contains("correct horse"))
    await #expect(throws: BackupError.self) {
      try await keys.ring(.passphrase(.init("wrong horse battery staple"))).unlock(KeyFixture.manifest(first))
    }
  }

  @Test func aManifestThatAsksTooMuchOfScryptIsRefusedBeforeDeriving() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let ring = keys.ring(.passphrase(.init("correct horse battery staple")))
    var manifest = KeyFixture.manifest(try await ring.sealing(backup: KeyFixture.id))
    manifest.encryption?.kdf?.n = 1 << 30
    let error = await #expect(throws: BackupError.self) { try await ring.unlock(manifest) }
    #expect(error?.code == .manifestUnreadable)
  }

  @Test func anEnvironmentsOwnKeysAreTriedFirst() throws {
    let yaml = """
      name: t
      database: {url: "postgresql://u@h/d"}
      storage: {url: "s3://bucket-1/p/"}
      backup: {encryption: {key_file: /etc/dr/key, decryption_keys: [/etc/dr/old.key]}}
      environments: {failover: {encryption: {key_file: /spare/key}}}
      """
    let policy = try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "t.yaml")
    let ring = KeyRing(policy: policy, environment: policy.environment(named: "failover"))
    #expect(
      ring.candidates.map(\.label) == [
        "environments.failover.encryption.key_file /spare/key", "backup.encryption.key_file /etc/dr/key",
        "backup.encryption.decryption_keys[0] /etc/dr/old.key",
      ])
    #expect(ring.current == .keyFile("/etc/dr/key"))
  }
}
