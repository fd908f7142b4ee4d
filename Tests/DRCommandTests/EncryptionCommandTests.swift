import DRCrypto
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Client-side encryption end to end against the real RGW and PostgreSQL: `dr key
/// generate`, `dr backup`, `dr verify`, `dr restore --target`, key rotation, passphrases,
/// and no key or passphrase in anything dr prints or stores. One test at a time: each
/// makes a database, backups and scratch clusters, and the other suites share the services.
@Suite(.serialized) struct EncryptionCommandTests {
  func restoredOrders(_ fixture: BackupFixture, _ id: String, _ keyText: String) async throws -> String? {
    let target = TestDatabases.uniqueName("enc_target", length: 6)
    let restore = try await fixture.run(
      ["restore", "--target", try TestServices.superuserURL(database: target), "--backup", id, "--no-owner"])
    #expect(restore.status == 0, "\(restore.combined)")
    #expect(!restore.combined.contains(keyText))
    let admin = try await PGConnection.connect(try TestServices.superuserURL(database: target))
    return try await admin.query("SELECT count(*) FROM sales.orders").first?.first ?? nil
  }

  @Test func anEncryptedBackupVerifiesAndRestoresAndItsKeyIsWrittenNowhere() async throws {
    let encrypted = try await EncryptionFixture.make("encround")
    var info = stat()
    #expect(stat(encrypted.keyFile, &info) == 0 && info.st_mode & 0o777 == 0o600)
    let (id, backup) = try await encrypted.backup()
    #expect(backup["encryption_key_id"] as? String == encrypted.keyID)
    let keys = try await encrypted.fixture.bucketContents().keys
    #expect(keys.contains(try encrypted.fixture.dumpKey(id, fileExtension: "bz2.enc")), "\(keys)")
    #expect(keys.contains(try encrypted.fixture.globalsKey(id, fileExtension: "bz2.enc")), "\(keys)")

    let verified = try await encrypted.fixture.run(["verify", "--json", "--verbose"])
    #expect(verified.status == 0, "\(verified.combined)")
    let object = try verified.jsonObject()
    #expect(object["outcome"] as? String == "passed")
    #expect(object["tables_compared"] as? Int == 6)
    encrypted.expectNoSecret(in: verified.combined)
    #expect(try await restoredOrders(encrypted.fixture, id, encrypted.keyText) == "2000")

    let manifest = try await encrypted.fixture.client.getObjectBytes(
      bucket: encrypted.fixture.bucket, key: try encrypted.fixture.manifestKey(id))
    let text = String(decoding: manifest, as: UTF8.self)
    #expect(text.contains("\"key_id\" : \"\(encrypted.keyID)\""), "\(text)")
    #expect(text.contains("\"scheme\" : \"aes-256-gcm-segmented-v1\""))
    let raw = try #require(KeyTextBytes.decode(encrypted.keyText))
    try await encrypted.expectBucketHolds(none: [Array(encrypted.keyText.utf8), raw])
    await encrypted.fixture.remove()
  }

  @Test func aPassphraseFromTheEnvironmentProtectsTheDataAndIsWrittenNowhere() async throws {
    let encrypted = try await EncryptionFixture.make("encpass", codec: "none")
    let passphrase = "correct horse battery staple \(UUID().uuidString.prefix(8))"
    try encrypted.fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: BackupFixture.ordersCheck,
      backup: "{compression: {codec: none}, globals: true, encryption: {passphrase: \"${DR_TEST_PASSPHRASE}\"}}")
    let environment = ["DR_TEST_PASSPHRASE": passphrase]
    let (id, _) = try await encrypted.backup(environment.merging(EncryptionFixture.smallSegments) { $1 })
    let verified = try await encrypted.fixture.run(["verify", "--verbose"], environment)
    #expect(verified.status == 0, "\(verified.combined)")
    encrypted.expectNoSecret(in: verified.combined, [passphrase])
    let manifest = try await encrypted.fixture.client.getObjectBytes(
      bucket: encrypted.fixture.bucket, key: try encrypted.fixture.manifestKey(id))
    #expect(String(decoding: manifest, as: UTF8.self).contains("\"name\" : \"scrypt\""))
    // Without compression the dump holds its rows as text: encrypted, none of it shows.
    try await encrypted.expectBucketHolds(none: [Array(passphrase.utf8), Array("order 1999".utf8)])
    let wrong = try await encrypted.fixture.run(
      ["verify", "--backup", id], ["DR_TEST_PASSPHRASE": "not the passphrase"])
    // This host's settings hold the wrong key: the verification is inconclusive, the backup not blamed.
    #expect(wrong.status == 1, "\(wrong.combined)")
    #expect(wrong.standardOutput.contains("INCONCLUSIVE encryption \(id): backup \(id) was encrypted with key ID"))
    await encrypted.fixture.remove()
  }

  @Test func afterARotationOldBackupsOpenWithDecryptionKeysAndNotWithout() async throws {
    let encrypted = try await EncryptionFixture.make("encrotate")
    let (old, _) = try await encrypted.backup()
    let newKey = "\(encrypted.fixture.directory)/new.key"
    let (_, newID) = try await EncryptionFixture.generate(newKey)
    func policy(_ encryption: String) throws {
      try encrypted.fixture.writePolicy(
        endpoint: try TestServices.s3Endpoint(), extra: BackupFixture.ordersCheck,
        backup: "{compression: {codec: bzip2, level: 9, threads: 2}, globals: true, encryption: \(encryption)}")
    }
    try policy("{key_file: \(newKey), decryption_keys: [\(encrypted.keyFile)]}")
    let (new, result) = try await encrypted.backup()
    #expect(result["encryption_key_id"] as? String == newID)
    let both = try await encrypted.fixture.run(["verify", "--backup", "all-unverified"])
    #expect(both.status == 0, "\(both.combined)")
    #expect(both.standardOutput.components(separatedBy: "PASSED").count == 3, "\(both.standardOutput)")

    try policy("{key_file: \(newKey)}")
    let refused = try await encrypted.fixture.run(["verify", "--backup", old])
    #expect(refused.status == 1, "\(refused.combined)")
    #expect(
      refused.standardOutput.contains(
        "INCONCLUSIVE encryption \(old): backup \(old) was encrypted with key ID \(encrypted.keyID); none of the "
          + "policy's keys matches: backup.encryption.key_file \(newKey) has key ID \(newID)"),
      "\(refused.standardOutput)")
    let restore = try await encrypted.fixture.run(
      ["restore", "--target", try TestServices.superuserURL(database: "dr_enc_refused"), "--backup", old])
    #expect(restore.status == 1)
    #expect(restore.standardError.contains("was encrypted with key ID \(encrypted.keyID)"), "\(restore.standardError)")
    #expect(try await encrypted.fixture.run(["verify", "--backup", new]).status == 0)
    await encrypted.fixture.remove()
  }

  @Test func checkReadsTheKeyAndSaysWhenItCannot() async throws {
    let encrypted = try await EncryptionFixture.make("enccheck")
    func encryptionLine() async throws -> (Int32, [String: String]?) {
      let check = try await encrypted.fixture.run(["check", "--json"])
      let checks = try check.jsonObject()["checks"] as? [[String: String]] ?? []
      #expect(!check.combined.contains(encrypted.keyText))
      return (check.status, checks.first { $0["name"] == "encryption" })
    }
    let (status, line) = try await encryptionLine()
    #expect(status == 0)
    #expect(line?["detail"] == "backup.encryption.key_file \(encrypted.keyFile): key ID \(encrypted.keyID)")
    try "garbage-text\n".write(toFile: encrypted.keyFile, atomically: true, encoding: .utf8)
    let (broken, brokenLine) = try await encryptionLine()
    #expect(broken == 1)
    #expect(brokenLine?["status"] == "failed")
    #expect(
      brokenLine?["detail"]?.contains("holds 13 bytes that are not a key") == true, "\(String(describing: brokenLine))")
    await encrypted.fixture.remove()
  }

  @Test func keyGenerateRefusesToOverwriteAndNeedsAPlace() async throws {
    let directory = TemporaryDirectory.unique("dr-keygen")
    let path = "\(directory)/key"
    let first = try await DRBinary.run(["key", "generate", "--output", path])
    #expect(first.status == 0, "\(first.combined)")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(first.standardOutput.contains("wrote a new key to \(path) (key ID "))
    #expect(!first.combined.contains(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    let second = try await DRBinary.run(["key", "generate", "--output", path])
    #expect(second.status == 1)
    #expect(second.standardError.contains("exists already"), "\(second.standardError)")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    let nowhere = try await DRBinary.run(["key", "generate"])
    #expect(nowhere.status == 2, "\(nowhere.combined)")
    try? FileManager.default.removeItem(atPath: directory)
  }
}

/// The key file's hex text as bytes, to look for the raw key in stored objects.
enum KeyTextBytes {
  static func decode(_ hex: String) -> [UInt8]? {
    guard hex.count == 64 else { return nil }
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    return bytes
  }
}
